/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-iothread.h: a device's own thread and the eventfd that stops it, shared by virtio-blk and virtio-net. */
#ifndef VMM_IOTHREAD_H
#define VMM_IOTHREAD_H

#include <pthread.h>
#include <stdbool.h>

#include "backend/vmm/vmm-log.h"

/* Embedded in its device.  The thread polls stop_fd and returns once it is readable. */
struct vmm_iothread {
	int stop_fd;
	pthread_t thread;
	bool started;
};

/* Make the stop eventfd; label names the device in err ("disk 0"). */
int vmm_iothread_init(struct vmm_iothread *t, const char *label, struct vmt_error *err);
int vmm_iothread_start(struct vmm_iothread *t, void *(*fn)(void *), void *arg, const char *label,
		       struct vmt_error *err);
/* Tell the thread to return and join it; nothing when it is not running. */
void vmm_iothread_stop(struct vmm_iothread *t);
/* Stop it and close the eventfd. */
void vmm_iothread_done(struct vmm_iothread *t);

#endif
