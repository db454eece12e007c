/* SPDX-License-Identifier: MIT */
/*
 * The Xen ABI, from Debian's headers (/usr/include/xen, libxen-dev):
 * they need the fixed-width types first, then any of their headers may
 * follow. The Xen environment includes them only through this file.
 */
#ifndef XENPV_ABI_H
#define XENPV_ABI_H

#include <stdint.h>

#include <xen/xen.h>
#include <xen/callback.h>
#include <xen/event_channel.h>
#include <xen/physdev.h>
#include <xen/sched.h>
#include <xen/vcpu.h>

#endif /* XENPV_ABI_H */
