/* SPDX-License-Identifier: GPL-2.0-or-later */
/* probe-setup.S: the probe kernel's boot sector, Linux setup header and
 * 16-bit setup code, which collects the e820 map and enters protected mode. */

#include "probe-defs.h"

/*
 * The setup is linked at 0 and runs with CS = DS = X, where X is the segment
 * the loader put it at, so every label here is an offset into that segment.
 *
 * Its first 4 KiB are laid out as struct boot_params: in a real-mode boot
 * there is no separate zero page, the loader only fills in the header at
 * 0x1f1, so the probe hands X:0 itself to the protected-mode code.  That is
 * why the boot sector is empty and the code only starts at 0x1000.
 */

	.section .setup, "awx"
	.code16
	.globl	setup_start
setup_start:

	.org	BP_HDR
hdr:
	.byte	setup_sects		/* computed by probe.ld */
	.word	0			/* root_flags */
	.long	syssize			/* computed by probe.ld */
	.word	0			/* ram_size: obsolete */
	.word	0xffff			/* vid_mode: "normal" */
	.word	0			/* root_dev */
	.word	0xaa55			/* boot_flag */
	/* 0x200: the jump doubles as the header length for loaders */
	.byte	0xeb, hdr_end - hdr_magic
hdr_magic:
	.ascii	"HdrS"
	.word	0x020f			/* boot protocol 2.15 */
	.long	0			/* realmode_swtch */
	.word	0x1000			/* start_sys_seg: obsolete */
	.word	probe_version - 0x200	/* kernel_version */
	.byte	0			/* type_of_loader */
	.byte	0x01			/* loadflags: LOADED_HIGH */
	.word	0x8000			/* setup_move_size */
	.long	PROBE_LOAD_ADDR		/* code32_start */
	.long	0			/* ramdisk_image */
	.long	0			/* ramdisk_size */
	.long	0			/* bootsect_kludge */
	.word	0			/* heap_end_ptr */
	.byte	0			/* ext_loader_ver */
	.byte	0			/* ext_loader_type */
	.long	0			/* cmd_line_ptr */
	.long	0x7fffffff		/* initrd_addr_max */
	.long	PROBE_LOAD_ADDR		/* kernel_alignment */
	.byte	0			/* relocatable_kernel */
	.byte	20			/* min_alignment: log2(1 MiB) */
	.word	0x0001			/* xloadflags: XLF_KERNEL_64 */
	.long	PROBE_CMDLINE_MAX - 1	/* cmdline_size */
	.long	0			/* hardware_subarch: PC */
	.quad	0			/* hardware_subarch_data */
	.long	0			/* payload_offset */
	.long	0			/* payload_length */
	.quad	0			/* setup_data */
	.quad	PROBE_LOAD_ADDR		/* pref_address */
	.long	init_size		/* computed by probe.ld */
	.long	0			/* handover_offset: no EFI */
	.long	kernel_info - PROBE_LOAD_ADDR	/* kernel_info_offset */
hdr_end:
	.globl	probe_hdr_end			/* probe.ld checks it is at 0x26c */
probe_hdr_end:
	/* 0x26c..0x290 is padding in boot_params, free for one more jump */
	jmp	setup_main

	.org	BP_E820_TABLE		/* (fails the build if the jump overran) */
	.org	0x1000			/* end of the boot_params image */

probe_version:
	.asciz	"vmtui probe kernel"

/*
 * Entered at X+0x20:0000 (the jump at 0x200) by a real-mode loader.  The
 * protocol says DS = ES = SS = X, but X is derived from CS, which cannot
 * be wrong, and CS is then made X so offsets match the link.
 */
setup_main:
	cli
	cld
	movw	%cs, %ax
	subw	$0x20, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	movw	$setup_stack_top, %sp
	pushw	%ax
	pushw	$1f
	lretw
1:
	/* A loader that filled the map itself is trusted; else ask the BIOS. */
	cmpb	$0, BP_E820_ENTRIES
	jne	2f
	call	setup_e820
2:
	jmp	setup_enter_pm

/*
 * INT 15h AX=E820h into boot_params.e820_table.  The entry count lives in
 * boot_params itself, so no register has to survive the BIOS call but EBX,
 * which the BIOS hands back as the continuation value.
 */
setup_e820:
	xorl	%ebx, %ebx
1:
	movzbw	BP_E820_ENTRIES, %ax
	movw	$20, %dx
	mulw	%dx
	addw	$BP_E820_TABLE, %ax
	movw	%ax, %di
	movl	$0xe820, %eax
	movl	$20, %ecx
	movl	$0x534d4150, %edx		/* "SMAP" */
	pushw	%ds
	popw	%es
	int	$0x15
	jc	2f
	cmpl	$0x534d4150, %eax
	jne	2f
	cmpl	$20, %ecx
	jb	2f
	incb	BP_E820_ENTRIES
	cmpb	$BP_E820_MAX, BP_E820_ENTRIES
	jae	2f
	testl	%ebx, %ebx
	jnz	1b
2:
	ret

/*
 * Switch to 32-bit protected mode and jump to code32_start the way a
 * 2.02+ loader would: flat __BOOT_CS/__BOOT_DS, ESI = boot_params.
 * EBX carries PROBE_SETUP_MAGIC instead of the 0 a loader passes.
 */
setup_enter_pm:
	xorl	%esi, %esi
	movw	%ds, %si
	shll	$4, %esi			/* ESI = linear X:0 */
	movl	%esi, %eax
	addl	$setup_gdt, %eax
	movl	%eax, setup_gdt_desc + 2
	lgdtl	setup_gdt_desc
	movl	BP_CODE32_START, %eax
	movl	%eax, setup_pm_target
	movw	$PROBE_CS32, setup_pm_target + 4
	movl	%cr0, %eax
	orl	$1, %eax			/* PE */
	movl	%eax, %cr0
	movw	$PROBE_DS, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	movw	%ax, %fs
	movw	%ax, %gs
	movl	$PROBE_SETUP_MAGIC, %ebx
	xorl	%edi, %edi
	xorl	%ebp, %ebp
	/* CS still has the real-mode base, so address the pointer through it */
	ljmpl	*%cs:setup_pm_target

	.balign	8
setup_gdt:
	.quad	0
	.quad	0x00af9a000000ffff		/* 0x08: 64-bit code */
	.quad	0x00cf9a000000ffff		/* 0x10: flat 32-bit code */
	.quad	0x00cf92000000ffff		/* 0x18: flat data */
setup_gdt_end:
setup_gdt_desc:
	.word	setup_gdt_end - setup_gdt - 1
	.long	0				/* patched: linear address */
setup_pm_target:
	.long	0				/* patched: code32_start */
	.word	0				/* patched: selector */

	.balign	16
	.space	1024
setup_stack_top:

	.section .note.GNU-stack, "", @progbits
