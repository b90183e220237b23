/* SPDX-License-Identifier: GPL-2.0-or-later */
/* kvm-proto.h: the control-socket protocol between vmtui (kvm-backend.c) and the vmtui-vmm runner. */
#ifndef KVM_PROTO_H
#define KVM_PROTO_H

/*
 * One runner process per VM listens on a Unix stream socket (mode 0600,
 * in a 0700 runtime directory; the path is given with --socket).
 *
 * Each connection carries exactly one request:
 *
 *   client: one line of ASCII, at most KVM_PROTO_MAX_LINE bytes including
 *           the final '\n' (a '\r' before it is ignored).
 *   server: "OK\n", "OK <text>\n" or "ERR <human message>\n".
 *
 * Requests (upper case; arguments none):
 *
 *   STATE     OK <running|paused|shutting-down>[ <reason>]
 *             reason is one of the KVM_PROTO_REASON_* words when the VM
 *             is ending.
 *   INFO      OK, then "key value" lines, then an empty line.  Keys:
 *             name uuid pid vcpus memory_mib kernel initrd cmdline
 *             started (unix time) ready (1/0).  The value is the rest of
 *             the line after the first space and may be empty; newlines
 *             inside values are sent as spaces.
 *   PAUSE     OK once every vCPU has stopped; ERR VM is already paused.
 *   RESUME    OK; ERR VM is not paused.
 *   POWERDOWN OK: the power button.  A guest that has enabled ACPI's
 *             power-button event (SCI_EN and PWRBTN_EN) gets it (PWRBTN_STS
 *             and the SCI) and decides; its S5 ends the VM with reason
 *             poweroff.  Any other guest gets Ctrl-Alt-Del on its i8042
 *             keyboard, and its next reset ends the VM with reason
 *             poweroff, even with --on-reboot restart.
 *   RESET     OK: hard reset, the guest reboots now (a paused VM stays
 *             paused), every vCPU back to its power-on state.
 *   KILL      OK, then the runner ends (reason killed), removing its
 *             socket and pid file.
 *   STATS     OK, then "key value" lines (values are integers), then an
 *             empty line: uptime_ns vcpus vcpu<N>.guest_ns vcpu<N>.exits
 *             exits.io exits.mmio exits.hlt exits.other exits.unclaimed_io
 *             mem.guest_bytes mem.guest_rss_bytes mem.vmm_rss_bytes
 *             cpu.vmm_ns serial.tx_bytes serial.rx_bytes, plus
 *             kvm.<name> for each counter of the VM's KVM_GET_STATS_FD
 *             when the kernel offers one.
 *   SNAPSHOT PATH  OK once the whole machine (vCPUs, irqchip, PIT, kvmclock,
 *             every device, guest memory) is in the file PATH (absolute,
 *             made 0600; see vmm-snap.h for the format); ERR when the VM is
 *             not paused or the file cannot be written (nothing is left).
 *             vmtui-vmm --restore PATH with the same other options goes
 *             on from there.
 *   TEST-SECCOMP  only when the runner was started with VMTUI_VMM_TEST=1
 *             in its environment (the test suite): OK, then the runner makes
 *             a system call its sandbox forbids and dies of it (see .exit).
 *   CONSOLE   OK, then the connection is a raw byte stream both ways: the
 *             scrollback (up to KVM_PROTO_SCROLLBACK bytes of the most
 *             recent guest serial output), then live output; bytes sent
 *             are typed into the guest's serial port (also bytes sent
 *             right behind the request line), never faster than its
 *             receive FIFO drains: input waits in the socket, it is never
 *             dropped.  Shutting down the sending side keeps output
 *             coming; closing ends the session.  A client that falls more
 *             than 1 MiB behind is disconnected (logged).  Several
 *             clients may be attached; each sees all output.
 *   anything else: ERR unknown request <word>
 *
 * Beside the socket (path minus a ".sock" suffix, plus an extension):
 *   .pid   "<pid> <starttime>\n" (field 22 of /proc/<pid>/stat), written
 *          once set up, so a client can tell a reused pid.
 *   .exit  "<reason> <detail>\n", written on a crash-type end
 *          (triple-fault, internal-error, fail-entry, guest-panic), and
 *          "seccomp syscall N (name) is outside the sandbox\n" when the
 *          sandbox kills the runner (the SIGSYS handler also removes .pid
 *          and the socket); removed on a normal start or end.
 *
 * The runner's last log line (stderr) is
 *   "<timestamp> <level> vmm: exit reason=<reason>[ <detail>]".
 * Exit status: 0 poweroff/reset/killed, 1 set-up or runtime error,
 * 2 usage, 3 crash-type end; killed by SIGSYS when the sandbox caught a
 * forbidden system call.
 *
 * STATS also has, per device: blk<N>.{rd_bytes,wr_bytes,rd_reqs,wr_reqs,
 * flushes,errors,broken}, net<N>.{rx_bytes,tx_bytes,rx_pkts,tx_pkts,
 * rx_dropped,tx_dropped,broken}; sums blk.{rd_bytes,wr_bytes,rd_reqs,
 * wr_reqs} with disks and net.{rx_bytes,tx_bytes,rx_pkts,tx_pkts} with
 * network cards; rng.bytes and rng.broken with the rng; virtio.broken
 * (devices the guest broke, all kinds); pvpanic.{panics,crash_loaded}
 * with the pvpanic device (events the guest reported through it).
 *
 * A guest-panic end comes from the pvpanic device (detail "pvpanic") or
 * from KVM's crash system event (detail "vcpu=N system event crash");
 * with --on-panic restart the runner reboots the guest instead.  A
 * triple-fault's detail is "vcpu=N": KVM says no more.  INFO also has disk<N>
 * "PATH,format=F[,readonly]", nic<N> "tap:IF,mac=MAC" or "user,mac=MAC",
 * and, once the guest has sent from them, nic<N>.ipv4 and nic<N>.ipv6
 * "ADDRESS[/PREFIX]" (the prefix when the runner knows the network).
 */

#define KVM_PROTO_MAX_LINE 256
#define KVM_PROTO_MAX_NICS 8
#define KVM_PROTO_SCROLLBACK (128 * 1024)

#define KVM_PROTO_STATE "STATE"
#define KVM_PROTO_INFO "INFO"
#define KVM_PROTO_PAUSE "PAUSE"
#define KVM_PROTO_RESUME "RESUME"
#define KVM_PROTO_POWERDOWN "POWERDOWN"
#define KVM_PROTO_RESET "RESET"
#define KVM_PROTO_KILL "KILL"
#define KVM_PROTO_STATS "STATS"
#define KVM_PROTO_CONSOLE "CONSOLE"
#define KVM_PROTO_SNAPSHOT "SNAPSHOT"
#define KVM_PROTO_TEST_SECCOMP "TEST-SECCOMP"

#define KVM_PROTO_OK "OK"
#define KVM_PROTO_ERR "ERR"

#define KVM_PROTO_STATE_RUNNING "running"
#define KVM_PROTO_STATE_PAUSED "paused"
#define KVM_PROTO_STATE_SHUTTING_DOWN "shutting-down"

#define KVM_PROTO_REASON_POWEROFF "poweroff"
#define KVM_PROTO_REASON_RESET "reset"
#define KVM_PROTO_REASON_TRIPLE_FAULT "triple-fault"
#define KVM_PROTO_REASON_INTERNAL_ERROR "internal-error"
#define KVM_PROTO_REASON_FAIL_ENTRY "fail-entry"
#define KVM_PROTO_REASON_KILLED "killed"
#define KVM_PROTO_REASON_GUEST_PANIC "guest-panic"
#define KVM_PROTO_REASON_ERROR "error"
#define KVM_PROTO_REASON_SECCOMP "seccomp"

#define KVM_PROTO_PID_SUFFIX ".pid"
#define KVM_PROTO_EXIT_SUFFIX ".exit"
#define KVM_PROTO_SOCK_SUFFIX ".sock"

/* Exit statuses of vmtui-vmm. */
#define KVM_PROTO_EXIT_OK 0
#define KVM_PROTO_EXIT_SETUP 1
#define KVM_PROTO_EXIT_USAGE 2
#define KVM_PROTO_EXIT_CRASH 3

#endif
