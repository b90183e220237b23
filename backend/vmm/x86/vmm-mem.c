/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmm-mem.c: allocate, clear and bounds-check guest RAM. */
#include "config.h"

#include "backend/vmm/x86/vmm-mem.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

void vmm_mem_layout(struct vmm_mem *m, uint64_t bytes)
{
	m->size = bytes;
	m->low_size = bytes < VMM_MEM_HOLE_START ? bytes : VMM_MEM_HOLE_START;
	m->high_size = bytes - m->low_size;
}

int vmm_mem_alloc(struct vmm_mem *m, uint64_t bytes, struct vmt_error *err)
{
	void *p;

	memset(m, 0, sizeof(*m));
	/* NORESERVE: a guest that never touches its RAM costs the host nothing. */
	p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return vmt_error_set(err, -errno, "cannot map %llu MiB of guest memory: %s",
				     (unsigned long long)(bytes >> 20), strerror(errno));
	madvise(p, bytes, MADV_DONTDUMP);
	m->host = p;
	m->mapped = 1;
	vmm_mem_layout(m, bytes);
	return 0;
}

void vmm_mem_free(struct vmm_mem *m)
{
	if (m->host && m->mapped)
		munmap(m->host, m->size);
	m->host = NULL;
}

/* A file mapping would read back the file's pages after MADV_DONTNEED: map zeros over it instead. */
void vmm_mem_clear(struct vmm_mem *m)
{
	if (m->file_backed &&
	    mmap(m->host, m->size, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0) != MAP_FAILED) {
		m->file_backed = 0;
		return;
	}
	if (m->mapped && !m->file_backed && madvise(m->host, m->size, MADV_DONTNEED) == 0)
		return;
	memset(m->host, 0, m->size);
}

int vmm_mem_map_file(struct vmm_mem *m, int fd, uint64_t off, struct vmt_error *err)
{
	if (!m->mapped)
		return vmt_error_set(err, -EINVAL, "guest memory is not a mapping of its own");
	if (mmap(m->host, m->size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED | MAP_NORESERVE, fd,
		 (off_t)off) == MAP_FAILED)
		return vmt_error_set(err, -errno, "cannot map the snapshot's memory: %s", strerror(errno));
	madvise(m->host, m->size, MADV_DONTDUMP);
	m->file_backed = 1;
	return 0;
}

void *vmm_mem_ptr(const struct vmm_mem *m, uint64_t gpa, uint64_t len)
{
	if (!m->host || gpa + len < gpa)
		return NULL;
	if (gpa + len <= m->low_size)
		return m->host + gpa;
	if (gpa >= VMM_MEM_HIGH_START && gpa - VMM_MEM_HIGH_START + len <= m->high_size)
		return m->host + m->low_size + (gpa - VMM_MEM_HIGH_START);
	return NULL;
}

uint64_t vmm_mem_resident(const struct vmm_mem *m)
{
	const uint64_t chunk = 64ull << 20;
	long page = sysconf(_SC_PAGESIZE);
	unsigned char *vec;
	uint64_t off, n, i, pages = 0;

	if (!m->host || !m->mapped || page <= 0)
		return 0;
	vec = malloc(chunk / (uint64_t)page);
	if (!vec)
		return 0;
	for (off = 0; off < m->size; off += chunk) {
		n = m->size - off < chunk ? m->size - off : chunk;
		if (mincore(m->host + off, n, vec) != 0)
			break;
		for (i = 0; i < (n + (uint64_t)page - 1) / (uint64_t)page; i++)
			pages += vec[i] & 1;
	}
	free(vec);
	return pages * (uint64_t)page;
}
