/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-main.c: vmtui-vmm's command line, set-up with the ready pipe, and the ordered end of a run. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend/vmm/kvm-proto.h"
#include "backend/vmm/vmm-ctl.h"
#include "backend/vmm/vmm-sandbox.h"
#include "backend/vmm/vmm-vm.h"

static const char vmm_main_usage[] =
	"usage: vmtui-vmm --kernel FILE [--initrd FILE] [--cmdline STR] [--memory MIB]\n"
	"                 [--vcpus N] [--name NAME] [--uuid UUID] [--socket PATH]\n"
	"                 [--ready-fd N] [--on-reboot restart|exit] [--on-panic exit|restart]\n"
	"                 [--console-stdio] [--log-level N] [--boot-entry auto|32|64]\n"
	"                 [--restore FILE] [--paused]\n"
	"                 [--disk PATH[,format=raw|qcow2][,readonly]]...\n"
	"                 [--net tap:IF|user[,mac=MAC][,fwd=...]]... [--no-rng] [--no-pvpanic]\n"
	"                 [--no-sandbox]\n"
	"\n"
	"Runs one virtual machine on /dev/kvm: the built-in runner of vmtui's kvm:/// backend.\n"
	"\n"
	"  --kernel FILE       Linux bzImage to boot (boot protocol 2.06 or later), or an\n"
	"                      uncompressed vmlinux (ELF), booted through its PVH entry\n"
	"  --initrd FILE       initial ramdisk\n"
	"  --cmdline STR       kernel command line (default: console=ttyS0)\n"
	"  --memory MIB        guest RAM in MiB (default 256)\n"
	"  --vcpus N           virtual CPUs, 1 to 64 (default 1)\n"
	"  --name NAME         VM name, reported by INFO\n"
	"  --uuid UUID         VM UUID, reported by INFO\n"
	"  --socket PATH       control socket (see kvm-proto.h); PATH minus .sock plus\n"
	"                      .pid/.exit name the runtime files beside it\n"
	"  --ready-fd N        write \"OK\\n\" to fd N once running, or \"ERR <why>\\n\" on failure\n"
	"  --on-reboot MODE    guest reset: restart the guest, or exit (default exit)\n"
	"  --on-panic MODE     guest panic (pvpanic): exit as crashed with reason\n"
	"                      guest-panic (default), or restart the guest\n"
	"  --console-stdio     serial console on stdin/stdout\n"
	"  --log-level N       0 errors, 1 warnings, 2 info (default), 3 debug\n"
	"  --boot-entry E      kernel entry: auto (64-bit when offered), 32 or 64\n"
	"  --restore FILE      start from a snapshot (the SNAPSHOT request) instead of\n"
	"                      booting: every other option must be as when it was taken\n"
	"  --paused            set up, then wait paused for RESUME\n"
	"  --disk SPEC         a virtio-blk disk (up to 16; PCI, in order): PATH is a raw\n"
	"                      image, block device or qcow2 image (format= is required\n"
	"                      for qcow2; \",,\" is a comma in PATH).  Writable disks are\n"
	"                      locked exclusively, read-only ones shared\n"
	"  --net tap:IF[,mac=MAC]  a virtio-net card on host tap IF (up to 8); needs\n"
	"                      CAP_NET_ADMIN or a tap made for the user\n"
	"  --net user[,mac=MAC][,fwd=tcp|udp:ADDR:HOSTPORT:GUESTPORT]...\n"
	"                      a virtio-net card on a user-mode network (libslirp,\n"
	"                      loaded then): 10.0.2.15 by DHCP, the host at 10.0.2.2,\n"
	"                      DNS at 10.0.2.3, host ports forwarded to the guest's;\n"
	"                      no privileges needed\n"
	"  --no-rng            no virtio-rng device (one is there by default)\n"
	"  --no-pvpanic        no pvpanic device (one is there by default)\n"
	"  --no-sandbox        do not enter the seccomp filter after set-up (debugging)\n"
	"  --help              this text\n"
	"\n"
	"Devices sit on PCI bus 0 (configuration mechanism 1, ports 0xcf8-0xcff) after a\n"
	"host bridge at 00:00.0, in this order: disks, network cards, rng (modern virtio\n"
	"1.x with MSI-X), then pvpanic (1b36:0011; Linux's pvpanic-pci driver).\n"
	"\n"
	"Environment: VMTUI_KVM_DEV names the KVM device (default /dev/kvm).\n"
	"Exit status: 0 poweroff/reset/killed, 1 set-up or runtime error, 2 usage,\n"
	"3 crash (triple fault, internal error, failed entry, guest panic).\n";

static int vmm_main_usage_error(const char *what, const char *arg, const char *want)
{
	fprintf(stderr, "vmtui-vmm: %s%s%s%s\nTry 'vmtui-vmm --help'.\n", what, arg ? arg : "",
		want ? ": " : "", want ? want : "");
	return KVM_PROTO_EXIT_USAGE;
}

static int vmm_main_number(const char *s, unsigned long long min, unsigned long long max,
			   unsigned long long *out)
{
	char *end;

	errno = 0;
	*out = strtoull(s, &end, 10);
	return (errno || end == s || *end || *s == '-' || *out < min || *out > max) ? -1 : 0;
}

enum {
	OPT_KERNEL = 1000, OPT_INITRD, OPT_CMDLINE, OPT_MEMORY, OPT_VCPUS, OPT_NAME, OPT_UUID,
	OPT_SOCKET, OPT_READY_FD, OPT_ON_REBOOT, OPT_CONSOLE_STDIO, OPT_LOG_LEVEL, OPT_BOOT_ENTRY,
	OPT_DISK, OPT_NET, OPT_NO_RNG, OPT_NO_SANDBOX, OPT_RESTORE, OPT_PAUSED, OPT_HELP, OPT_ON_PANIC,
	OPT_NO_PVPANIC,
};

static const struct option vmm_main_opts[] = {
	{ "kernel", required_argument, NULL, OPT_KERNEL },
	{ "initrd", required_argument, NULL, OPT_INITRD },
	{ "cmdline", required_argument, NULL, OPT_CMDLINE },
	{ "memory", required_argument, NULL, OPT_MEMORY },
	{ "vcpus", required_argument, NULL, OPT_VCPUS },
	{ "name", required_argument, NULL, OPT_NAME },
	{ "uuid", required_argument, NULL, OPT_UUID },
	{ "socket", required_argument, NULL, OPT_SOCKET },
	{ "ready-fd", required_argument, NULL, OPT_READY_FD },
	{ "on-reboot", required_argument, NULL, OPT_ON_REBOOT },
	{ "on-panic", required_argument, NULL, OPT_ON_PANIC },
	{ "console-stdio", no_argument, NULL, OPT_CONSOLE_STDIO },
	{ "log-level", required_argument, NULL, OPT_LOG_LEVEL },
	{ "boot-entry", required_argument, NULL, OPT_BOOT_ENTRY },
	{ "disk", required_argument, NULL, OPT_DISK },
	{ "net", required_argument, NULL, OPT_NET },
	{ "no-rng", no_argument, NULL, OPT_NO_RNG },
	{ "no-pvpanic", no_argument, NULL, OPT_NO_PVPANIC },
	{ "no-sandbox", no_argument, NULL, OPT_NO_SANDBOX },
	{ "restore", required_argument, NULL, OPT_RESTORE },
	{ "paused", no_argument, NULL, OPT_PAUSED },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

/* --disk and --net: repeatable, each parsed into the next slot. */
static int vmm_main_device(int o, const char *arg, struct vmm_config *cfg)
{
	struct vmt_error err = { 0, "" };

	if (o == OPT_DISK) {
		if (cfg->ndisks >= VMM_MAX_DISKS)
			return vmm_main_usage_error("--disk ", arg, "at most 16 disks");
		if (vmm_blk_parse(arg, &cfg->disks[cfg->ndisks], &err) < 0)
			return vmm_main_usage_error(err.msg, NULL, NULL);
		cfg->ndisks++;
	} else {
		if (cfg->nnics >= VMM_MAX_NICS)
			return vmm_main_usage_error("--net ", arg, "at most 8 network cards");
		if (vmm_net_parse(arg, &cfg->nics[cfg->nnics], &err) < 0)
			return vmm_main_usage_error(err.msg, NULL, NULL);
		cfg->nnics++;
	}
	return -1;
}

/* The options that pick one of a few words. */
static int vmm_main_choice(int o, const char *arg, struct vmm_config *cfg)
{
	bool restart = strcmp(arg, "restart") == 0;

	if (o == OPT_ON_REBOOT) {
		if (!restart && strcmp(arg, "exit"))
			return vmm_main_usage_error("--on-reboot ", arg, "want restart or exit");
		cfg->restart_on_reboot = restart;
	} else if (o == OPT_ON_PANIC) {
		if (!restart && strcmp(arg, "exit"))
			return vmm_main_usage_error("--on-panic ", arg, "want exit or restart");
		cfg->restart_on_panic = restart;
	} else {
		if (strcmp(arg, "auto") && strcmp(arg, "32") && strcmp(arg, "64"))
			return vmm_main_usage_error("--boot-entry ", arg, "want auto, 32 or 64");
		cfg->boot_entry = strcmp(arg, "auto") ? atoi(arg) : 0;
	}
	return -1;
}

/* One option into cfg; returns -1 to go on, or an exit status. */
static int vmm_main_opt(int o, const char *arg, struct vmm_config *cfg)
{
	unsigned long long v;

	switch (o) {
	case OPT_DISK:
	case OPT_NET:
		return vmm_main_device(o, arg, cfg);
	case OPT_NO_RNG: cfg->rng = false; break;
	case OPT_NO_PVPANIC: cfg->pvpanic = false; break;
	case OPT_NO_SANDBOX: cfg->sandbox = false; break;
	case OPT_KERNEL: cfg->kernel = arg; break;
	case OPT_INITRD: cfg->initrd = arg; break;
	case OPT_CMDLINE: cfg->cmdline = arg; break;
	case OPT_NAME: cfg->name = arg; break;
	case OPT_UUID: cfg->uuid = arg; break;
	case OPT_SOCKET: cfg->socket = arg; break;
	case OPT_CONSOLE_STDIO: cfg->console_stdio = true; break;
	case OPT_RESTORE: cfg->restore = arg; break;
	case OPT_PAUSED: cfg->start_paused = true; break;
	case OPT_MEMORY:
		if (vmm_main_number(arg, 2, 1ull << 20, &v))
			return vmm_main_usage_error("--memory ", arg, "want MiB from 2 to 1048576");
		cfg->mem_mib = v;
		break;
	case OPT_VCPUS:
		if (vmm_main_number(arg, 1, VMM_MAX_VCPUS, &v))
			return vmm_main_usage_error("--vcpus ", arg, "want 1 to 64");
		cfg->vcpus = (unsigned)v;
		break;
	case OPT_READY_FD:
		if (vmm_main_number(arg, 0, 1 << 20, &v))
			return vmm_main_usage_error("--ready-fd ", arg, "not a file descriptor");
		cfg->ready_fd = (int)v;
		break;
	case OPT_LOG_LEVEL:
		if (vmm_main_number(arg, 0, 3, &v))
			return vmm_main_usage_error("--log-level ", arg, "want 0 to 3");
		vmm_log_level_set((int)v);
		break;
	case OPT_ON_REBOOT:
	case OPT_ON_PANIC:
	case OPT_BOOT_ENTRY:
		return vmm_main_choice(o, arg, cfg);
	case OPT_HELP:
		fputs(vmm_main_usage, stdout);
		return 0;
	default:
		return vmm_main_usage_error("unknown option", NULL, NULL);
	}
	return -1;
}

static int vmm_main_parse(int argc, char **argv, struct vmm_config *cfg)
{
	int o, rc;

	memset(cfg, 0, sizeof(*cfg));
	cfg->mem_mib = 256;
	cfg->vcpus = 1;
	cfg->ready_fd = -1;
	cfg->cmdline = "console=ttyS0";
	cfg->rng = true;
	cfg->pvpanic = true;
	cfg->sandbox = true;
	cfg->test_mode = getenv("VMTUI_VMM_TEST") && strcmp(getenv("VMTUI_VMM_TEST"), "1") == 0;
	opterr = 0;
	while ((o = getopt_long(argc, argv, "", vmm_main_opts, NULL)) != -1) {
		if (o == '?')
			return vmm_main_usage_error("", argv[optind - 1], "unknown option or missing argument");
		rc = vmm_main_opt(o, optarg, cfg);
		if (rc >= 0)
			return rc;
	}
	if (optind < argc)
		return vmm_main_usage_error("unexpected argument ", argv[optind], NULL);
	if (!cfg->kernel)
		return vmm_main_usage_error("--kernel is required", NULL, NULL);
	return -1;
}

/* Tell the spawner how set-up went, then close the pipe. */
static void vmm_main_ready(struct vmm_config *cfg, const char *err_msg)
{
	char line[400];
	int n;

	if (cfg->ready_fd < 0)
		return;
	if (err_msg)
		n = snprintf(line, sizeof(line), "ERR %s\n", err_msg);
	else
		n = snprintf(line, sizeof(line), "OK\n");
	if (n > 0 && write(cfg->ready_fd, line, (size_t)n) < 0)
		vmm_warn("ready fd %d: %s", cfg->ready_fd, strerror(errno));
	close(cfg->ready_fd);
	cfg->ready_fd = -1;
}

static void vmm_main_unclaimed_report(const struct vmm_vm *vm)
{
	unsigned port;

	if (!vm->unclaimed_ports || vmm_log_level_get() < VMM_LOG_DEBUG)
		return;
	for (port = 0; port < 65536; port++)
		if (vm->unclaimed_ports[port])
			vmm_debug("unclaimed port %#06x: %u accesses", port, vm->unclaimed_ports[port]);
}

static int vmm_main_setup(struct vmm_vm *vm, struct vmm_ctl *ctl, struct vmm_config *cfg,
			  struct vmt_error *err)
{
	struct vmm_sandbox_opts opts = { 0 };
	int rc;

	rc = vmm_vm_create(vm, cfg, err);
	if (rc == 0)
		rc = vmm_ctl_signals(ctl, err);
	if (rc == 0)
		rc = vmm_ctl_listen(ctl, cfg->socket, err);
	if (rc == 0 && cfg->console_stdio)
		rc = vmm_ctl_stdio(ctl, err);
	if (rc == 0)
		rc = vmm_ctl_files(ctl, err);
	/* Last, while this is the only thread: the filter then covers every one. */
	opts.exit_path = ctl->exit_path;
	opts.pid_path = ctl->pid_path;
	opts.sock_path = ctl->sock_path;
	for (unsigned i = 0; i < cfg->nnics; i++)
		opts.net_sockets |= cfg->nics[i].user;
	if (rc == 0 && cfg->sandbox)
		rc = vmm_sandbox_enter(&opts, err);
	return rc;
}

static void vmm_main_cfg_done(struct vmm_config *cfg)
{
	for (unsigned i = 0; i < cfg->ndisks; i++)
		free(cfg->disks[i].path);
	cfg->ndisks = 0;
}

static int vmm_main_status(enum vmm_end e)
{
	if (vmm_end_is_crash(e))
		return KVM_PROTO_EXIT_CRASH;
	return e == VMM_END_ERROR ? KVM_PROTO_EXIT_SETUP : KVM_PROTO_EXIT_OK;
}

int main(int argc, char **argv)
{
	static struct vmm_vm vm;	/* big (per-vCPU LAPIC images): not on the stack */
	struct vmt_error err = { 0, "" };
	struct vmm_config cfg;
	struct vmm_ctl ctl;
	enum vmm_end reason;
	int rc = vmm_main_parse(argc, argv, &cfg);

	if (rc >= 0) {
		vmm_main_cfg_done(&cfg);
		return rc;
	}
	vmm_info("starting %s: kernel %s, %llu MiB, %u vCPU(s)", cfg.name ? cfg.name : "(unnamed)",
		 cfg.kernel, (unsigned long long)cfg.mem_mib, cfg.vcpus);
	vmm_ctl_init(&ctl, &vm);
	rc = vmm_main_setup(&vm, &ctl, &cfg, &err);
	if (rc == 0) {
		vmm_info("set up in %.3f ms", (double)(vmm_time_mono_ns() - vm.start_mono_ns) / 1e6);
		vmm_main_ready(&cfg, NULL);
		rc = vmm_vm_start(&vm, &err);
		if (rc)
			vmm_vm_end(&vm, VMM_END_ERROR, "%s", err.msg);
		else
			vmm_ctl_run(&ctl);
		vmm_vm_stop(&vm);
		vmm_ctl_drain(&ctl);
	} else {
		vmm_err("%s", err.msg);
		vmm_main_ready(&cfg, err.msg);
		vm.end_reason = VMM_END_ERROR;
		snprintf(vm.end_detail, sizeof(vm.end_detail), "%s", err.msg);
	}
	reason = vm.end_reason == VMM_END_NONE ? VMM_END_ERROR : vm.end_reason;
	vmm_main_unclaimed_report(&vm);
	vmm_ctl_done(&ctl, reason, vm.end_detail);
	vmm_vm_destroy(&vm);
	/* The exit line is the record of how the run ended: always written. */
	if (vmm_log_level_get() < VMM_LOG_INFO)
		vmm_log_level_set(VMM_LOG_INFO);
	vmm_log(reason == VMM_END_ERROR || vmm_end_is_crash(reason) ? VMM_LOG_ERROR : VMM_LOG_INFO,
		"exit reason=%s%s%s", vmm_end_name(reason), vm.end_detail[0] ? " " : "", vm.end_detail);
	vmm_main_cfg_done(&cfg);
	return vmm_main_status(reason);
}
