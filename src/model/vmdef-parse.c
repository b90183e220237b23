// SPDX-License-Identifier: GPL-2.0-or-later
/* vmdef-parse.c: the text forms of disks, NICs and sizes that users type. */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/lib/util.h"
#include "src/model/vmdef.h"

int vm_size_parse(const char *s, uint64_t default_unit, uint64_t *bytes)
{
	char *num;
	size_t len = s ? strlen(s) : 0;
	uint64_t unit = default_unit, v;
	int r;

	if (len == 0)
		return -EINVAL;
	switch (s[len - 1]) {
	case 'M': case 'm': unit = 1ull << 20; len--; break;
	case 'G': case 'g': unit = 1ull << 30; len--; break;
	case 'T': case 't': unit = 1ull << 40; len--; break;
	default: break;
	}
	num = xstrndup(s, len);
	r = parse_u64(num, &v);
	free(num);
	if (r < 0)
		return r;
	if (v == 0)
		return -EINVAL;
	if (v > UINT64_MAX / unit)
		return -ERANGE;
	*bytes = v * unit;
	return 0;
}

/* Split spec at single commas; ",," stands for a comma in a field. */
static char **vm_spec_split(const char *spec, size_t *n)
{
	char **fields = NULL;
	struct strbuf cur;
	size_t cap = 0;

	*n = 0;
	strbuf_init(&cur);
	for (const char *p = spec; ; p++) {
		if (*p == ',' && p[1] == ',') {
			strbuf_add(&cur, ",", 1);
			p++;
			continue;
		}
		if (*p && *p != ',') {
			strbuf_add(&cur, p, 1);
			continue;
		}
		fields = xgrow(fields, &cap, *n, sizeof(*fields));
		fields[(*n)++] = strbuf_detach(&cur);
		if (!*p)
			break;
	}
	return fields;
}

static int vm_disk_option(const char *opt, struct vm_disk *disk,
			  struct vmt_error *err)
{
	if (str_starts_with(opt, "size=")) {
		if (vm_size_parse(opt + 5, 1ull << 30, &disk->size_bytes) < 0)
			return vmt_error_set(err, -EINVAL,
					     "disk: size '%s' is not a positive size (GiB, or with M, G or T)",
					     opt + 5);
		return 0;
	}
	if (str_starts_with(opt, "format=")) {
		if (vm_disk_format_parse(opt + 7, &disk->format) < 0 ||
		    disk->format == VM_DISK_FORMAT_AUTO)
			return vmt_error_set(err, -EINVAL,
					     "disk: format '%s' is not raw or qcow2",
					     opt + 7);
		return 0;
	}
	if (strcmp(opt, "readonly") == 0 || strcmp(opt, "ro") == 0) {
		disk->readonly = true;
		return 0;
	}
	return vmt_error_set(err, -EINVAL,
			     "disk: unknown option '%s' (size=, format=, readonly)",
			     opt);
}

int vm_disk_parse(const char *spec, struct vm_disk *disk, struct vmt_error *err)
{
	size_t n;
	char **f = vm_spec_split(spec, &n);
	int r = 0;

	memset(disk, 0, sizeof(*disk));
	/* "size=10" alone is an option, not a file called size=10. */
	bool first_is_option = str_starts_with(f[0], "size=") ||
			       str_starts_with(f[0], "format=");

	if (f[0][0] && !first_is_option)
		disk->path = xstrdup(f[0]);
	for (size_t i = first_is_option ? 0 : 1; i < n && r == 0; i++)
		r = vm_disk_option(f[i], disk, err);
	if (r == 0 && !disk->path && !disk->size_bytes)
		r = vmt_error_set(err, -EINVAL,
				  "disk: '%s' gives neither a path nor a size", spec);
	for (size_t i = 0; i < n; i++)
		free(f[i]);
	free(f);
	if (r < 0) {
		free(disk->path);
		disk->path = NULL;
	}
	return r;
}

static int vm_nic_kind_source(const char *f, struct vm_nic *nic)
{
	const char *colon = strchr(f, ':');
	size_t klen = colon ? (size_t)(colon - f) : strlen(f);
	char kname[16];

	if (klen >= sizeof(kname))
		return -EINVAL;
	memcpy(kname, f, klen);
	kname[klen] = '\0';
	if (vm_nic_kind_parse(kname, &nic->kind) < 0)
		return -EINVAL;
	if ((nic->kind == VM_NIC_USER) != !colon)
		return -EINVAL;
	nic->source = colon ? xstrdup(colon + 1) : NULL;
	return 0;
}

int vm_fwd_parse(const char *spec, struct vm_fwd *out)
{
	char *copy = xstrdup(spec), *part[4], *p = copy, *end;
	unsigned long port[2];
	int n = 0, r = 0;
	struct in_addr a;

	memset(out, 0, sizeof(*out));
	/* At most four parts, none of them empty. */
	while (p && n < 4) {
		part[n++] = p;
		p = strchr(p, ':');
		if (p)
			*p++ = '\0';
	}
	for (int i = 0; i < n; i++)
		if (!*part[i])
			r = -EINVAL;
	if (p)
		r = -EINVAL;
	if (r == 0 && n >= 3 && (strcmp(part[0], "tcp") == 0 || strcmp(part[0], "udp") == 0)) {
		out->udp = part[0][0] == 'u';
		memmove(part, part + 1, (size_t)--n * sizeof(*part));
	}
	if (r == 0 && n != 2 && n != 3)
		r = -EINVAL;
	snprintf(out->addr, sizeof(out->addr), "%s", r == 0 && n == 3 ? part[0] : "127.0.0.1");
	if (r == 0 && (inet_pton(AF_INET, out->addr, &a) != 1 || strlen(part[0]) >= sizeof(out->addr)))
		r = -EINVAL;
	for (int i = 0; r == 0 && i < 2; i++) {
		port[i] = strtoul(part[n - 2 + i], &end, 10);
		if (*end || !isdigit((unsigned char)part[n - 2 + i][0]) || port[i] < 1 || port[i] > 65535)
			r = -EINVAL;
	}
	if (r == 0) {
		out->host_port = (unsigned)port[0];
		out->guest_port = (unsigned)port[1];
	}
	free(copy);
	return r;
}

/* Add fwd=SPEC to nic's forwards, kept in the one form vm_fwd_parse reads back. */
static int vm_nic_add_fwd(struct vm_nic *nic, const char *spec, struct vmt_error *err)
{
	struct vm_fwd f;
	char *all;

	if (vm_fwd_parse(spec, &f) < 0)
		return vmt_error_set(err, -EINVAL, "net: fwd=%s is not [tcp:|udp:][ADDR:]HOSTPORT:GUESTPORT "
				     "(ports 1 to 65535, ADDR an IPv4 address)", spec);
	all = xasprintf("%s%s%s:%s:%u:%u", nic->forwards ? nic->forwards : "", nic->forwards ? " " : "",
			f.udp ? "udp" : "tcp", f.addr, f.host_port, f.guest_port);
	free(nic->forwards);
	nic->forwards = all;
	return 0;
}

static int vm_nic_fields(char **f, size_t n, struct vm_nic *nic,
			 struct vmt_error *err)
{
	int r;

	if (vm_nic_kind_source(f[0], nic) < 0)
		return vmt_error_set(err, -EINVAL,
				     "net: '%s' is not none, user, tap:IF, network:NAME or bridge:BR",
				     f[0]);
	for (size_t i = 1; i < n; i++) {
		if (str_starts_with(f[i], "fwd=")) {
			r = vm_nic_add_fwd(nic, f[i] + 4, err);
			if (r < 0)
				return r;
			continue;
		}
		if (!str_starts_with(f[i], "mac=") || strlen(f[i] + 4) >= sizeof(nic->mac))
			return vmt_error_set(err, -EINVAL,
					     "net: unknown option '%s' (mac=xx:xx:xx:xx:xx:xx, fwd=HOSTPORT:GUESTPORT)",
					     f[i]);
		strcpy(nic->mac, f[i] + 4);
	}
	r = vm_check_nic(nic, 0, err);
	return r < 0 ? r : vm_check_forwards(nic, 1, 0, err);
}

int vm_nic_parse(const char *spec, struct vm_nic *nic, bool *none,
		 struct vmt_error *err)
{
	size_t n;
	char **f;
	int r;

	*none = strcmp(spec, "none") == 0;
	if (*none)
		return 0;
	memset(nic, 0, sizeof(*nic));
	f = vm_spec_split(spec, &n);
	r = vm_nic_fields(f, n, nic, err);
	for (size_t i = 0; i < n; i++)
		free(f[i]);
	free(f);
	if (r < 0) {
		vm_nic_done(nic);
		memset(nic, 0, sizeof(*nic));
	}
	return r;
}
