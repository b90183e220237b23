/* SPDX-License-Identifier: GPL-2.0-or-later */
/* probe-head.S: the probe kernel's 32-bit and 64-bit entry points, its page
 * tables and GDT, the interrupt stubs and the real-mode AP trampoline. */

#include "probe-defs.h"

/*
 * Offset 0 of the protected-mode image: the 32-bit entry (code32_start),
 * reached from the probe's own setup or from a 32-bit boot loader, with
 * paging off, flat __BOOT_CS/__BOOT_DS and ESI = boot_params.
 */
	.section .head.text, "ax"
	.code32
	.globl	startup_32
startup_32:
	cli
	cld
	lgdt	gdt_desc
	ljmp	$PROBE_CS32, $1f
1:
	movl	$PROBE_DS, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%eax, %fs
	movl	%eax, %gs
	movl	$32, %edi
	cmpl	$PROBE_SETUP_MAGIC, %ebx
	jne	2f
	movl	$16, %edi
2:
	/* Long mode: PAE, the static identity map, EFER.LME, then paging. */
	movl	%cr4, %eax
	orl	$0x20, %eax
	movl	%eax, %cr4
	movl	$pml4, %eax
	movl	%eax, %cr3
	movl	$0xc0000080, %ecx
	rdmsr
	orl	$0x100, %eax
	wrmsr
	movl	%cr0, %eax
	orl	$0x80000001, %eax
	movl	%eax, %cr0
	ljmp	$PROBE_CS64, $from_32

	.code64
from_32:
	/* The upper halves are undefined after the mode switch. */
	movl	%esi, %esi
	movl	%edi, %edi
	jmp	common_64

/*
 * Load address + 0x200: the 64-bit entry (XLF_KERNEL_64).  The loader's
 * page tables map only the image, boot_params and the command line, and its
 * stack is unknown, so the probe switches to its own stack, GDT and tables
 * before touching anything else.
 */
	.org	0x200
	.globl	startup_64
startup_64:
	cli
	cld
	movl	$64, %edi
	movq	$probe_stack_top, %rsp
	lgdt	gdt_desc(%rip)
	leaq	1f(%rip), %rax
	pushq	$PROBE_CS64
	pushq	%rax
	lretq
1:
	movl	$PROBE_DS, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%eax, %fs
	movl	%eax, %gs
	movl	$pml4, %eax
	movq	%rax, %cr3

/* Both paths: RSI = boot_params, EDI = entry kind (16, 32 or 64). */
common_64:
	movq	%rsi, %r12
	movq	%rdi, %r13
	/*
	 * rep stos runs one emulated iteration at a time on PVM (about 0.5 us
	 * each): clear 8 bytes per iteration, and only what needs it (the
	 * stack, the IDT and the CRC tables live in .noclear, after the BSS).
	 */
	movl	$__bss_start, %edi
	movl	$__bss_end, %ecx
	subl	%edi, %ecx
	shrl	$3, %ecx
	xorl	%eax, %eax
	rep stosq
	movq	$probe_stack_top, %rsp
	movq	%r12, %rdi
	movl	%r13d, %esi
	call	probe_main
3:
	cli
	hlt
	jmp	3b

/*
 * One 16-byte stub per vector, so the C side finds vector v's stub at
 * probe_isr_stubs + 16 * v.  Each pushes an error code where the CPU does
 * not, then the vector, and joins isr_common.
 */
	.text
	.altmacro
	.macro	isr_stub n
	.balign	16
	.if	(\n == 8) || ((\n >= 10) && (\n <= 14)) || (\n == 17) || (\n == 21) || (\n == 29) || (\n == 30)
	.else
	pushq	$0
	.endif
	pushq	$\n
	jmp	isr_common
	.endm

	.balign	16
	.globl	probe_isr_stubs
probe_isr_stubs:
	.set	vec, 0
	.rept	256
	isr_stub %vec
	.set	vec, vec + 1
	.endr
	.noaltmacro

/* Saves the general registers (the C code uses no others) as a
 * struct probe_frame and calls probe_trap(frame). */
isr_common:
	pushq	%rax
	pushq	%rcx
	pushq	%rdx
	pushq	%rbx
	pushq	%rbp
	pushq	%rsi
	pushq	%rdi
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rsp, %rdi
	cld
	call	probe_trap
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rdi
	popq	%rsi
	popq	%rbp
	popq	%rbx
	popq	%rdx
	popq	%rcx
	popq	%rax
	addq	$16, %rsp
	iretq

/*
 * The AP trampoline, copied to a free page below 1 MiB.  An AP starts here
 * in real mode at CS = page >> 4, IP = 0 after the SIPI; it counts itself
 * in and parks for good, or, when the BSP set probe_ap_spin (probe.count),
 * counts its turns in probe_ap_spins for ever.  Staying in real mode keeps
 * it independent of the BSP's page tables, GDT and stack.
 */
	.section .rodata
	.code16
	.balign	16
	.globl	probe_ap_tramp, probe_ap_counter, probe_ap_spins, probe_ap_spin, probe_ap_tramp_end
probe_ap_tramp:
	cli
	movw	%cs, %ax
	movw	%ax, %ds
	lock incl (probe_ap_counter - probe_ap_tramp)
2:
	cmpb	$0, (probe_ap_spin - probe_ap_tramp)
	je	1f
	lock incl (probe_ap_spins - probe_ap_tramp)
	pause
	jmp	2b
1:
	cli
	hlt
	jmp	1b
	.balign	4
probe_ap_counter:
	.long	0
probe_ap_spins:
	.long	0
probe_ap_spin:
	.byte	0
	.balign	4
probe_ap_tramp_end:
	.code64

/* kernel_info (boot protocol 2.15): nothing beyond the fixed header. */
	.balign	4
	.globl	kernel_info
kernel_info:
	.ascii	"LToP"
	.long	kernel_info_end - kernel_info	/* size */
	.long	kernel_info_end - kernel_info	/* size_total */
	.long	0				/* setup_type_max */
kernel_info_end:

	.data
	.balign	8
gdt:
	.quad	0
	.quad	0x00af9a000000ffff		/* 0x08: 64-bit code */
	.quad	0x00cf9a000000ffff		/* 0x10: flat 32-bit code */
	.quad	0x00cf92000000ffff		/* 0x18: flat data */
gdt_end:
	.balign	8
	/* lgdt reads a 4-byte base in 32-bit mode, 8 bytes in 64-bit mode */
gdt_desc:
	.word	gdt_end - gdt - 1
	.quad	gdt

/*
 * Static identity map of the low 4 GiB with 2 MiB pages, built by the
 * assembler so both entry paths can load it at once.  The 3-4 GiB hole
 * (PCI BARs, virtio-mmio, IOAPIC, LAPIC, firmware) is mapped uncached.
 */
	.balign	4096
	.globl	pml4
pml4:
	.quad	pdpt + 0x03
	.fill	511, 8, 0
pdpt:
	.quad	pd + 0x0000 + 0x03
	.quad	pd + 0x1000 + 0x03
	.quad	pd + 0x2000 + 0x03
	.quad	pd + 0x3000 + 0x03
	.fill	508, 8, 0
pd:
	.set	addr, 0
	.rept	2048
	.if	addr >= 0xc0000000
	.quad	addr + 0x9b			/* P RW PWT PCD PS */
	.else
	.quad	addr + 0x83			/* P RW PS */
	.endif
	.set	addr, addr + 0x200000
	.endr

	.section .noclear, "aw", @nobits
	.balign	16
	.space	16384
	.globl	probe_stack_top
probe_stack_top:

	.section .note.GNU-stack, "", @progbits
