/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-console.h: the serial console's scrollback ring and its output sinks (socket clients, stdout). */
#ifndef VMM_CONSOLE_H
#define VMM_CONSOLE_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VMM_CONSOLE_RING_SIZE (128u * 1024u)
#define VMM_CONSOLE_CLIENT_LIMIT (1024u * 1024u)

/* One reader of guest output with its own pending bytes, owned by the console. */
struct vmm_console_sink {
	int fd;
	bool is_stdout;		/* stdout drops on overflow instead of closing */
	bool overflow;		/* buffer limit hit: the main loop disconnects it */
	bool dead;		/* write failed: peer gone */
	uint8_t *buf;
	size_t start, end, alloc;
	unsigned long long dropped;
	struct vmm_console_sink *next;
};

typedef void (*vmm_console_notify_fn)(void *opaque);

/*
 * Written by vCPU threads (guest output) and read by the main thread
 * (flushing sinks); the lock guards the ring and the sink list.
 */
struct vmm_console {
	pthread_mutex_t lock;
	uint8_t ring[VMM_CONSOLE_RING_SIZE];
	unsigned long long ring_total;	/* bytes ever written */
	struct vmm_console_sink *sinks;
	vmm_console_notify_fn notify;
	void *notify_opaque;
};

void vmm_console_init(struct vmm_console *c, vmm_console_notify_fn notify, void *opaque);
void vmm_console_done(struct vmm_console *c);

/* Guest output: into the ring and every sink; wakes the main loop if needed. */
void vmm_console_output(struct vmm_console *c, const uint8_t *p, size_t n);

/*
 * Attach fd as a sink (the console takes ownership of fd).  A socket
 * client first gets the whole ring; stdout gets only what follows.
 * Returns NULL when out of memory.
 */
struct vmm_console_sink *vmm_console_attach(struct vmm_console *c, int fd, bool is_stdout);

/* Detach, close the fd and free the sink. */
void vmm_console_detach(struct vmm_console *c, struct vmm_console_sink *s);

/* Bytes waiting for this sink. */
size_t vmm_console_pending(struct vmm_console *c, struct vmm_console_sink *s);

/* Write what the fd takes without blocking; 0, or -errno when the peer is gone. */
int vmm_console_flush(struct vmm_console *c, struct vmm_console_sink *s);

/* Copy the most recent min(len, ring fill) bytes into buf; returns the count. */
size_t vmm_console_ring_copy(struct vmm_console *c, uint8_t *buf, size_t len);

struct vmt_error;
struct vmm_snap_out;
struct vmm_snap_in;
/* The scrollback ring, so that a client attached after a restore sees what came before. */
void vmm_console_save(struct vmm_console *c, struct vmm_snap_out *o);
int vmm_console_restore(struct vmm_console *c, struct vmm_snap_in *in, struct vmt_error *err);

#endif
