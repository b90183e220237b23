/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-rtc.c: CMOS time from the host clock, honouring register B's BCD/binary and 12/24-hour bits. */
#include "config.h"

#include "backend/vmm/hw/vmm-rtc.h"

#include <stdbool.h>
#include <errno.h>
#include <string.h>

#define RTC_REG_A 0x0a
#define RTC_REG_B 0x0b
#define RTC_REG_C 0x0c
#define RTC_REG_D 0x0d
#define RTC_CENTURY 0x32
#define RTC_B_SET 0x80	/* guest is setting the clock: it stands still */
#define RTC_B_DM 0x04	/* binary, not BCD */
#define RTC_B_24H 0x02

static void vmm_rtc_put16(uint8_t *cmos, unsigned reg, uint64_t v)
{
	if (v > 0xffff)
		v = 0xffff;
	cmos[reg] = (uint8_t)v;
	cmos[reg + 1] = (uint8_t)(v >> 8);
}

void vmm_rtc_init(struct vmm_rtc *r, uint64_t low_bytes, uint64_t high_bytes)
{
	memset(r, 0, sizeof(*r));
	pthread_mutex_init(&r->lock, NULL);
	r->now = time;
	r->cmos[RTC_REG_A] = 0x26;	/* 32.768 kHz base, 1024 Hz rate, no update in progress */
	r->cmos[RTC_REG_B] = RTC_B_24H;
	r->cmos[RTC_REG_D] = 0x80;	/* valid RAM and time */
	/* Memory sizes where BIOS-era software looks for them. */
	vmm_rtc_put16(r->cmos, 0x15, 640);
	if (low_bytes > (1 << 20)) {
		vmm_rtc_put16(r->cmos, 0x17, (low_bytes - (1 << 20)) >> 10);
		vmm_rtc_put16(r->cmos, 0x30, (low_bytes - (1 << 20)) >> 10);
	}
	if (low_bytes > (16 << 20))
		vmm_rtc_put16(r->cmos, 0x34, (low_bytes - (16 << 20)) >> 16);
	r->cmos[0x5b] = (uint8_t)(high_bytes >> 16);
	r->cmos[0x5c] = (uint8_t)(high_bytes >> 24);
	r->cmos[0x5d] = (uint8_t)(high_bytes >> 32);
}

void vmm_rtc_done(struct vmm_rtc *r)
{
	pthread_mutex_destroy(&r->lock);
}

static uint8_t vmm_rtc_encode(const struct vmm_rtc *r, unsigned v)
{
	if (r->cmos[RTC_REG_B] & RTC_B_DM)
		return (uint8_t)v;
	return (uint8_t)(((v / 10) << 4) | (v % 10));
}

static uint8_t vmm_rtc_hour(const struct vmm_rtc *r, unsigned h)
{
	unsigned h12;

	if (r->cmos[RTC_REG_B] & RTC_B_24H)
		return vmm_rtc_encode(r, h);
	h12 = h % 12 ? h % 12 : 12;
	return vmm_rtc_encode(r, h12) | (h >= 12 ? 0x80 : 0);
}

static uint8_t vmm_rtc_time_reg(const struct vmm_rtc *r, uint8_t reg)
{
	time_t t = r->now(NULL) + (time_t)r->offset;
	struct tm tm;

	gmtime_r(&t, &tm);
	switch (reg) {
	case 0x00: return vmm_rtc_encode(r, (unsigned)tm.tm_sec);
	case 0x02: return vmm_rtc_encode(r, (unsigned)tm.tm_min);
	case 0x04: return vmm_rtc_hour(r, (unsigned)tm.tm_hour);
	case 0x06: return vmm_rtc_encode(r, (unsigned)tm.tm_wday + 1);
	case 0x07: return vmm_rtc_encode(r, (unsigned)tm.tm_mday);
	case 0x08: return vmm_rtc_encode(r, (unsigned)tm.tm_mon + 1);
	case 0x09: return vmm_rtc_encode(r, (unsigned)(tm.tm_year % 100));
	default:   return vmm_rtc_encode(r, (unsigned)(1900 + tm.tm_year) / 100);
	}
}

static bool vmm_rtc_is_time(uint8_t reg)
{
	return reg <= 0x09 || reg == RTC_CENTURY;
}

static unsigned vmm_rtc_decode(const struct vmm_rtc *r, uint8_t v)
{
	if (r->cmos[RTC_REG_B] & RTC_B_DM)
		return v;
	return (unsigned)(v >> 4) * 10 + (v & 0x0f);
}

/* The clock the guest wrote while SET was on, as seconds away from the host's. */
static void vmm_rtc_commit(struct vmm_rtc *r)
{
	const uint8_t *c = r->cmos;
	unsigned hour = vmm_rtc_decode(r, c[0x04] & 0x7f);
	struct tm tm;
	time_t t;

	if (!(c[RTC_REG_B] & RTC_B_24H))
		hour = hour % 12 + ((c[0x04] & 0x80) ? 12 : 0);
	memset(&tm, 0, sizeof(tm));
	tm.tm_sec = (int)vmm_rtc_decode(r, c[0x00]);
	tm.tm_min = (int)vmm_rtc_decode(r, c[0x02]);
	tm.tm_hour = (int)hour;
	tm.tm_mday = (int)vmm_rtc_decode(r, c[0x07]);
	tm.tm_mon = (int)vmm_rtc_decode(r, c[0x08]) - 1;
	tm.tm_year = (int)(vmm_rtc_decode(r, c[RTC_CENTURY]) * 100 + vmm_rtc_decode(r, c[0x09])) - 1900;
	t = timegm(&tm);
	if (t != (time_t)-1)
		r->offset = (long long)t - (long long)r->now(NULL);
}

uint8_t vmm_rtc_read(struct vmm_rtc *r, uint8_t reg)
{
	uint8_t v;

	reg &= 0x7f;
	if (vmm_rtc_is_time(reg) && !(r->cmos[RTC_REG_B] & RTC_B_SET))
		return vmm_rtc_time_reg(r, reg);
	if (reg == RTC_REG_C) {
		v = r->cmos[RTC_REG_C];
		r->cmos[RTC_REG_C] = 0;	/* reading C acknowledges its flags */
		return v;
	}
	return r->cmos[reg];
}

/* SET on freezes the clock into the registers; SET off starts it from what was written. */
static void vmm_rtc_write_b(struct vmm_rtc *r, uint8_t value)
{
	uint8_t old = r->cmos[RTC_REG_B], reg;

	r->cmos[RTC_REG_B] = value;
	if (!(old & RTC_B_SET) && (value & RTC_B_SET)) {
		r->cmos[RTC_REG_B] = value & (uint8_t)~RTC_B_SET;
		for (reg = 0; reg < 128; reg++)
			if (vmm_rtc_is_time(reg))
				r->cmos[reg] = vmm_rtc_time_reg(r, reg);
		r->cmos[RTC_REG_B] = value;
	} else if ((old & RTC_B_SET) && !(value & RTC_B_SET)) {
		vmm_rtc_commit(r);
	}
}

void vmm_rtc_write(struct vmm_rtc *r, uint8_t reg, uint8_t value)
{
	reg &= 0x7f;
	if (vmm_rtc_is_time(reg)) {
		/* Without SET the clock keeps running: the write is lost, as on a busy chip. */
		if (r->cmos[RTC_REG_B] & RTC_B_SET)
			r->cmos[reg] = value;
		return;
	}
	switch (reg) {
	case RTC_REG_A:
		r->cmos[reg] = value & 0x7f;	/* UIP is read-only */
		break;
	case RTC_REG_B:
		vmm_rtc_write_b(r, value);
		break;
	case RTC_REG_C:
	case RTC_REG_D:
		break;	/* read-only */
	default:
		r->cmos[reg] = value;
		break;
	}
}

static void vmm_rtc_io(void *opaque, uint64_t offset, uint8_t *data,
		       uint32_t len, bool is_write)
{
	struct vmm_rtc *r = opaque;

	pthread_mutex_lock(&r->lock);
	if (offset == 0) {
		if (is_write)
			r->index = data[0] & 0x7f;	/* bit 7 gates NMI: nothing to gate here */
		else
			data[0] = r->index;
	} else if (is_write) {
		vmm_rtc_write(r, r->index, data[0]);
	} else {
		data[0] = vmm_rtc_read(r, r->index);
	}
	pthread_mutex_unlock(&r->lock);
}

int vmm_rtc_register(struct vmm_rtc *r, struct vmm_bus *bus, struct vmt_error *err)
{
	return vmm_bus_register(bus, VMM_BUS_PIO, VMM_RTC_PORT, 2, vmm_rtc_io, r, "rtc", err);
}

static void vmm_rtc_dev_free(struct vmm_dev *d)
{
	vmm_rtc_done(vmm_dev_of(d, struct vmm_rtc, dev));
}

static int vmm_rtc_dev_save(struct vmm_dev *d, struct vmm_snap_out *o, struct vmt_error *err)
{
	struct vmm_rtc *r = vmm_dev_of(d, struct vmm_rtc, dev);

	(void)err;
	pthread_mutex_lock(&r->lock);
	vmm_snap_put(o, &r->index, 1);
	vmm_snap_put(o, r->cmos, sizeof(r->cmos));
	vmm_snap_put64(o, (uint64_t)r->offset);
	pthread_mutex_unlock(&r->lock);
	return 0;
}

static int vmm_rtc_dev_restore(struct vmm_dev *d, struct vmm_snap_in *in, struct vmt_error *err)
{
	struct vmm_rtc *r = vmm_dev_of(d, struct vmm_rtc, dev);
	uint8_t index, cmos[sizeof(r->cmos)];
	uint64_t offset;
	int rc;

	if ((rc = vmm_snap_get(in, &index, 1, err)) || (rc = vmm_snap_get(in, cmos, sizeof(cmos), err)) ||
	    (rc = vmm_snap_get64(in, &offset, err)))
		return rc;
	pthread_mutex_lock(&r->lock);
	r->index = index & 0x7f;
	memcpy(r->cmos, cmos, sizeof(cmos));
	r->offset = (long long)offset;
	pthread_mutex_unlock(&r->lock);
	return 0;
}

const struct vmm_dev_ops vmm_rtc_dev_ops = {
	.free = vmm_rtc_dev_free,
	.save = vmm_rtc_dev_save,
	.restore = vmm_rtc_dev_restore,
};
