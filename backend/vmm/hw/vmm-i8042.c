/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-i8042.c: i8042 controller and a minimal keyboard behind it, no mouse. */
#include "config.h"

#include "backend/vmm/hw/vmm-i8042.h"

#include <errno.h>
#include <string.h>

#define I8042_STS_OBF 0x01
#define I8042_STS_SYS 0x04
#define I8042_STS_A2 0x08
#define I8042_STS_INH 0x10
#define I8042_STS_AUX 0x20
#define I8042_CTR_KBDINT 0x01
#define I8042_CTR_AUXINT 0x02
#define I8042_CTR_SYS 0x04
#define I8042_CTR_KBDDIS 0x10
#define I8042_CTR_AUXDIS 0x20
#define I8042_FROM_AUX 0x100

void vmm_i8042_init(struct vmm_i8042 *k, vmm_i8042_irq_fn set_irq,
		    vmm_i8042_reset_fn reset, void *opaque)
{
	memset(k, 0, sizeof(*k));
	pthread_mutex_init(&k->lock, NULL);
	k->set_irq = set_irq;
	k->reset = reset;
	k->opaque = opaque;
	k->ctr = 0x45;	/* translate to set 1, system flag, keyboard interrupt: as a BIOS leaves it */
	k->outport = 0x01;
}

void vmm_i8042_done(struct vmm_i8042 *k)
{
	pthread_mutex_destroy(&k->lock);
}

/* Bring both IRQ lines to what the output buffer says; lock held. */
static void vmm_i8042_irq_sync(struct vmm_i8042 *k)
{
	bool kbd = k->obf && !k->obf_aux && (k->ctr & I8042_CTR_KBDINT);
	bool aux = k->obf && k->obf_aux && (k->ctr & I8042_CTR_AUXINT);

	if (kbd != k->line_kbd) {
		k->set_irq(k->opaque, VMM_I8042_KBD_IRQ, kbd);
		k->line_kbd = kbd;
	}
	if (aux != k->line_aux) {
		k->set_irq(k->opaque, VMM_I8042_AUX_IRQ, aux);
		k->line_aux = aux;
	}
}

/* Move the next queued byte into an empty output buffer. */
static void vmm_i8042_deliver(struct vmm_i8042 *k)
{
	uint16_t v;

	if (!k->obf && k->count > 0) {
		v = k->queue[k->head];
		k->head = (k->head + 1) % VMM_I8042_QUEUE;
		k->count--;
		k->data = (uint8_t)v;
		k->obf = true;
		k->obf_aux = (v & I8042_FROM_AUX) != 0;
	}
	vmm_i8042_irq_sync(k);
}

static void vmm_i8042_queue(struct vmm_i8042 *k, uint8_t byte, bool aux)
{
	if (k->count >= VMM_I8042_QUEUE)
		return;	/* a real controller would lose it too */
	k->queue[(k->head + k->count) % VMM_I8042_QUEUE] = byte | (aux ? I8042_FROM_AUX : 0);
	k->count++;
	vmm_i8042_deliver(k);
}

void vmm_i8042_reset(struct vmm_i8042 *k)
{
	pthread_mutex_lock(&k->lock);
	k->ctr = 0x45;
	k->outport = 0x01;
	k->obf = k->obf_aux = k->last_was_cmd = false;
	k->pending_cmd = k->kbd_pending = 0;
	k->head = k->count = 0;
	vmm_i8042_irq_sync(k);
	pthread_mutex_unlock(&k->lock);
}

static void vmm_i8042_command(struct vmm_i8042 *k, uint8_t cmd)
{
	if (cmd >= 0xf0) {
		/* Pulse output lines: bit 0 clear pulses the CPU reset line. */
		if (!(cmd & 0x01))
			k->reset(k->opaque);
		return;
	}
	if (cmd == 0x20) {
		vmm_i8042_queue(k, k->ctr, false);
	} else if (cmd > 0x20 && cmd < 0x40) {
		vmm_i8042_queue(k, 0, false);
	} else if ((cmd >= 0x60 && cmd < 0x80) || (cmd >= 0xd1 && cmd <= 0xd4)) {
		k->pending_cmd = cmd;
	} else if (cmd == 0xa7 || cmd == 0xa8) {
		k->ctr = cmd == 0xa7 ? (k->ctr | I8042_CTR_AUXDIS) : (k->ctr & ~I8042_CTR_AUXDIS);
	} else if (cmd == 0xa9 || cmd == 0xab) {
		vmm_i8042_queue(k, 0x00, false);	/* interface test passed */
	} else if (cmd == 0xaa) {
		k->ctr |= I8042_CTR_SYS;
		vmm_i8042_queue(k, 0x55, false);	/* controller self-test passed */
	} else if (cmd == 0xad || cmd == 0xae) {
		k->ctr = cmd == 0xad ? (k->ctr | I8042_CTR_KBDDIS) : (k->ctr & ~I8042_CTR_KBDDIS);
	} else if (cmd == 0xc0) {
		vmm_i8042_queue(k, 0x80, false);	/* input port: keyboard not inhibited */
	} else if (cmd == 0xd0) {
		vmm_i8042_queue(k, k->outport, false);
	}
	vmm_i8042_irq_sync(k);
}

/* A byte for the keyboard itself (not the controller). */
static void vmm_i8042_kbd_write(struct vmm_i8042 *k, uint8_t v)
{
	if (k->kbd_pending) {
		vmm_i8042_queue(k, 0xfa, false);
		if (k->kbd_pending == 0xf0 && v == 0)
			vmm_i8042_queue(k, 0x02, false);	/* current scan code set */
		k->kbd_pending = 0;
		return;
	}
	switch (v) {
	case 0xff:
		vmm_i8042_queue(k, 0xfa, false);
		vmm_i8042_queue(k, 0xaa, false);	/* basic assurance test passed */
		break;
	case 0xf2:
		vmm_i8042_queue(k, 0xfa, false);
		vmm_i8042_queue(k, 0xab, false);
		vmm_i8042_queue(k, 0x83, false);	/* MF2 keyboard */
		break;
	case 0xee:
		vmm_i8042_queue(k, 0xee, false);
		break;
	case 0xed:
	case 0xf0:
	case 0xf3:
		k->kbd_pending = v;
		vmm_i8042_queue(k, 0xfa, false);
		break;
	default:
		vmm_i8042_queue(k, 0xfa, false);
		break;
	}
}

static void vmm_i8042_data_write(struct vmm_i8042 *k, uint8_t v)
{
	uint8_t cmd = k->pending_cmd;

	k->pending_cmd = 0;
	if (cmd == 0x60) {
		k->ctr = v;
	} else if (cmd > 0x60 && cmd < 0x80) {
		/* controller RAM: nothing lives there */
	} else if (cmd == 0xd1) {
		k->outport = v;
		if (!(v & 0x01))
			k->reset(k->opaque);
	} else if (cmd == 0xd2 || cmd == 0xd3) {
		vmm_i8042_queue(k, v, cmd == 0xd3);
	} else if (cmd == 0xd4) {
		vmm_i8042_queue(k, 0xfe, true);	/* no mouse: refuse */
	} else {
		vmm_i8042_kbd_write(k, v);
	}
	vmm_i8042_irq_sync(k);
}

static uint8_t vmm_i8042_status(const struct vmm_i8042 *k)
{
	uint8_t s = I8042_STS_INH;

	if (k->obf)
		s |= I8042_STS_OBF | (k->obf_aux ? I8042_STS_AUX : 0);
	if (k->ctr & I8042_CTR_SYS)
		s |= I8042_STS_SYS;
	if (k->last_was_cmd)
		s |= I8042_STS_A2;
	return s;
}

static void vmm_i8042_io(void *opaque, uint64_t offset, uint8_t *data,
			 uint32_t len, bool is_write)
{
	struct vmm_i8042 *k = opaque;
	bool cmd_port = offset == VMM_I8042_CMD - VMM_I8042_DATA;

	pthread_mutex_lock(&k->lock);
	if (is_write) {
		k->last_was_cmd = cmd_port;
		if (cmd_port)
			vmm_i8042_command(k, data[0]);
		else
			vmm_i8042_data_write(k, data[0]);
	} else if (cmd_port) {
		data[0] = vmm_i8042_status(k);
	} else {
		data[0] = k->data;
		k->obf = false;
		vmm_i8042_irq_sync(k);	/* drop the line so the next byte is a new edge */
		vmm_i8042_deliver(k);
	}
	pthread_mutex_unlock(&k->lock);
}

/* 0x61-0x63 belong to others (the PIT's speaker port), so 0x64 is its own range. */
static void vmm_i8042_cmd_io(void *opaque, uint64_t offset, uint8_t *data,
			     uint32_t len, bool is_write)
{
	vmm_i8042_io(opaque, VMM_I8042_CMD - VMM_I8042_DATA, data, len, is_write);
}

int vmm_i8042_register(struct vmm_i8042 *k, struct vmm_bus *bus, struct vmt_error *err)
{
	int rc = vmm_bus_register(bus, VMM_BUS_PIO, VMM_I8042_DATA, 1, vmm_i8042_io, k,
				  "i8042-data", err);

	if (rc)
		return rc;
	return vmm_bus_register(bus, VMM_BUS_PIO, VMM_I8042_CMD, 1, vmm_i8042_cmd_io, k,
				"i8042-cmd", err);
}

void vmm_i8042_ctrl_alt_del(struct vmm_i8042 *k)
{
	static const uint8_t seq[] = { 0x1d, 0x38, 0xe0, 0x53, 0xe0, 0xd3, 0xb8, 0x9d };
	size_t i;

	pthread_mutex_lock(&k->lock);
	for (i = 0; i < sizeof(seq); i++)
		vmm_i8042_queue(k, seq[i], false);
	pthread_mutex_unlock(&k->lock);
}

static void vmm_i8042_dev_reset(struct vmm_dev *d)
{
	vmm_i8042_reset(vmm_dev_of(d, struct vmm_i8042, dev));
}

static void vmm_i8042_dev_free(struct vmm_dev *d)
{
	vmm_i8042_done(vmm_dev_of(d, struct vmm_i8042, dev));
}

static int vmm_i8042_dev_save(struct vmm_dev *d, struct vmm_snap_out *o, struct vmt_error *err)
{
	struct vmm_i8042 *k = vmm_dev_of(d, struct vmm_i8042, dev);
	uint8_t r[10];

	(void)err;
	pthread_mutex_lock(&k->lock);
	r[0] = k->ctr, r[1] = k->outport, r[2] = k->data, r[3] = k->obf, r[4] = k->obf_aux;
	r[5] = k->last_was_cmd, r[6] = k->pending_cmd, r[7] = k->kbd_pending;
	r[8] = k->line_kbd, r[9] = k->line_aux;
	vmm_snap_put(o, r, sizeof(r));
	vmm_snap_put32(o, k->head);
	vmm_snap_put32(o, k->count);
	vmm_snap_put(o, k->queue, sizeof(k->queue));
	pthread_mutex_unlock(&k->lock);
	return 0;
}

static int vmm_i8042_dev_restore(struct vmm_dev *d, struct vmm_snap_in *in, struct vmt_error *err)
{
	struct vmm_i8042 *k = vmm_dev_of(d, struct vmm_i8042, dev);
	uint16_t q[VMM_I8042_QUEUE];
	uint32_t head, count;
	uint8_t r[10];
	int rc;

	if ((rc = vmm_snap_get(in, r, sizeof(r), err)) || (rc = vmm_snap_get32(in, &head, err)) ||
	    (rc = vmm_snap_get32(in, &count, err)) || (rc = vmm_snap_get(in, q, sizeof(q), err)))
		return rc;
	if (head >= VMM_I8042_QUEUE || count > VMM_I8042_QUEUE)
		return vmt_error_set(err, -EINVAL, "the snapshot's keyboard queue is damaged");
	pthread_mutex_lock(&k->lock);
	k->ctr = r[0], k->outport = r[1], k->data = r[2], k->obf = r[3] != 0, k->obf_aux = r[4] != 0;
	k->last_was_cmd = r[5] != 0, k->pending_cmd = r[6], k->kbd_pending = r[7];
	k->line_kbd = k->line_aux = false;
	k->head = head, k->count = count;
	memcpy(k->queue, q, sizeof(q));
	vmm_i8042_irq_sync(k);
	pthread_mutex_unlock(&k->lock);
	return 0;
}

const struct vmm_dev_ops vmm_i8042_dev_ops = {
	.reset = vmm_i8042_dev_reset,
	.free = vmm_i8042_dev_free,
	.save = vmm_i8042_dev_save,
	.restore = vmm_i8042_dev_restore,
};
