/* SPDX-License-Identifier: GPL-2.0-or-later */
/* lv-backend.h: the libvirt backend, for every URI but kvm:///. */
#ifndef VMTUI_LV_BACKEND_H
#define VMTUI_LV_BACKEND_H

#include "backend/backend.h"

extern const struct backend_ops lv_backend_ops;

#endif
