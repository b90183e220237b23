/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-rtc.h: the MC146818 CMOS clock at 0x70/0x71, reading the host's time. */
#ifndef VMM_RTC_H
#define VMM_RTC_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "backend/vmm/vmm-bus.h"
#include "backend/vmm/vmm-dev.h"

#define VMM_RTC_PORT 0x70

/* Embedded in the VM. */
struct vmm_rtc {
	struct vmm_dev dev;		/* in the VM's device list */
	pthread_mutex_t lock;
	uint8_t index;
	uint8_t cmos[128];	/* registers A-D and NVRAM; time registers are computed */
	long long offset;	/* seconds the guest moved its clock from the host's (UTC) */
	time_t (*now)(time_t *);	/* the clock source, replaceable for tests */
};

/* low_bytes (below 4 GiB) and high_bytes fill the BIOS memory-size bytes as a PC's CMOS would hold them. */
void vmm_rtc_init(struct vmm_rtc *r, uint64_t low_bytes, uint64_t high_bytes);
void vmm_rtc_done(struct vmm_rtc *r);
int vmm_rtc_register(struct vmm_rtc *r, struct vmm_bus *bus, struct vmt_error *err);

/* Register access as the guest sees it (index port then data port). */
uint8_t vmm_rtc_read(struct vmm_rtc *r, uint8_t reg);
void vmm_rtc_write(struct vmm_rtc *r, uint8_t reg, uint8_t value);

/* Freed with the VM. */
extern const struct vmm_dev_ops vmm_rtc_dev_ops;

#endif
