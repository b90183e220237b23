#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0-or-later
# guest-udhcpc.sh: busybox udhcpc's hook in vmtui's test guests: puts the lease on the card (busybox ships no default script).
case "$1" in
deconfig) ip addr flush dev "$interface"; ip link set "$interface" up ;;
bound|renew)
	ip addr flush dev "$interface"
	ip addr add "$ip/${mask:-24}" dev "$interface"
	[ -z "${router:-}" ] || ip route replace default via "${router%% *}" dev "$interface"
	: >/etc/resolv.conf
	for d in ${dns:-}; do echo "nameserver $d" >>/etc/resolv.conf; done ;;
esac
