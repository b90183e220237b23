/* SPDX-License-Identifier: GPL-2.0-or-later */
/* kvm-backend.h: the kvm:/// backend, a client of vmtui-vmm runners. */
#ifndef VMTUI_KVM_BACKEND_H
#define VMTUI_KVM_BACKEND_H

#include "backend/backend.h"

extern const struct backend_ops kvm_backend_ops;

#endif
