/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-iothread.c: start and stop a device's thread through its stop eventfd. */
#include "config.h"

#include "backend/vmm/vmm-iothread.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

int vmm_iothread_init(struct vmm_iothread *t, const char *label, struct vmt_error *err)
{
	t->started = false;
	t->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (t->stop_fd < 0)
		return vmt_error_set(err, -errno, "%s: eventfd: %s", label, strerror(errno));
	return 0;
}

int vmm_iothread_start(struct vmm_iothread *t, void *(*fn)(void *), void *arg, const char *label,
		       struct vmt_error *err)
{
	int rc = pthread_create(&t->thread, NULL, fn, arg);

	if (rc)
		return vmt_error_set(err, -rc, "%s: cannot start its thread: %s", label, strerror(rc));
	t->started = true;
	return 0;
}

void vmm_iothread_stop(struct vmm_iothread *t)
{
	uint64_t one = 1;

	if (!t->started)
		return;
	if (write(t->stop_fd, &one, sizeof(one)) == sizeof(one))
		pthread_join(t->thread, NULL);
	/* Take the stop back, or a thread started again (after a snapshot) would end at once. */
	if (read(t->stop_fd, &one, sizeof(one)) < 0)
		vmm_debug("stop eventfd was already empty");
	t->started = false;
}

void vmm_iothread_done(struct vmm_iothread *t)
{
	vmm_iothread_stop(t);
	if (t->stop_fd >= 0)
		close(t->stop_fd);
	t->stop_fd = -1;
}
