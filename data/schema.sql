-- SPDX-License-Identifier: GPL-2.0-or-later
-- schema.sql: vmtui's SQLite schema, applied to a new database as one transaction.
-- A change here bumps STORE_SCHEMA_VERSION and adds the matching step to
-- store_migrations in src/store/store.c, so older databases are upgraded.

-- A VM is keyed by the identity of the host (and daemon) it lives on and
-- its UUID, never by the URI it was reached through: qemu:///system and
-- qemu+ssh://root@thishost/system are one host (schema 3).
CREATE TABLE vms (
	uuid       TEXT NOT NULL CHECK (length(uuid) = 36),
	host       TEXT NOT NULL CHECK (length(host) >= 1),
	-- names vmtui gives are checked; a domain made elsewhere keeps its own
	name       TEXT NOT NULL CHECK (length(name) >= 1),
	-- the connection it was last used through, for people to read
	uri        TEXT NOT NULL,
	backend    TEXT NOT NULL CHECK (backend IN ('kvm', 'libvirt')),
	vcpus      INTEGER NOT NULL CHECK (vcpus >= 1),
	memory_mib INTEGER NOT NULL CHECK (memory_mib >= 16),
	kernel     TEXT,
	initrd     TEXT,
	cmdline    TEXT,
	firmware   TEXT NOT NULL DEFAULT 'bios' CHECK (firmware IN ('bios', 'uefi')),
	boot_order TEXT,
	graphics   TEXT NOT NULL DEFAULT 'none' CHECK (graphics IN ('none', 'vnc', 'spice')),
	-- libvirt's domain type when the user chose one (schema 6)
	virt_type  TEXT CHECK (virt_type IN ('kvm', 'qemu')),
	notes      TEXT NOT NULL DEFAULT '',
	vm_group   TEXT NOT NULL DEFAULT '',
	-- kvm:/// only: vmtui autostart --boot starts it (schema 4); libvirt keeps its own
	autostart  INTEGER NOT NULL DEFAULT 0 CHECK (autostart IN (0, 1)),
	created    INTEGER NOT NULL,
	updated    INTEGER NOT NULL,
	PRIMARY KEY (host, uuid),
	UNIQUE (host, name)
);

CREATE TABLE disks (
	vm_host    TEXT NOT NULL,
	vm_uuid    TEXT NOT NULL,
	idx        INTEGER NOT NULL CHECK (idx >= 0),
	path       TEXT,
	size_bytes INTEGER NOT NULL DEFAULT 0 CHECK (size_bytes >= 0),
	format     TEXT NOT NULL CHECK (format IN ('raw', 'qcow2')),
	device     TEXT NOT NULL DEFAULT 'disk' CHECK (device IN ('disk', 'cdrom')),
	readonly   INTEGER NOT NULL DEFAULT 0 CHECK (readonly IN (0, 1)),
	created    INTEGER NOT NULL DEFAULT 0 CHECK (created IN (0, 1)),
	pool       TEXT,
	PRIMARY KEY (vm_host, vm_uuid, idx),
	FOREIGN KEY (vm_host, vm_uuid) REFERENCES vms (host, uuid)
		ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TABLE nics (
	vm_host TEXT NOT NULL,
	vm_uuid TEXT NOT NULL,
	idx     INTEGER NOT NULL CHECK (idx >= 0),
	kind    TEXT NOT NULL CHECK (kind IN ('user', 'tap', 'network', 'bridge')),
	source  TEXT,
	mac     TEXT NOT NULL CHECK (length(mac) = 17),
	-- user networks: "PROTO:ADDR:HOSTPORT:GUESTPORT ..." (schema 2)
	forwards TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (vm_host, vm_uuid, idx),
	FOREIGN KEY (vm_host, vm_uuid) REFERENCES vms (host, uuid)
		ON DELETE CASCADE ON UPDATE CASCADE
);

-- A VM made from a cloud image (schema 6): where it came from, whom
-- vmtui ssh logs in as with which key, the kernel kvm:/// took from the
-- image's /boot, and the cloud-init seed until the first boot is over.
CREATE TABLE images (
	vm_host     TEXT NOT NULL,
	vm_uuid     TEXT NOT NULL,
	source      TEXT NOT NULL,
	base        TEXT,
	login       TEXT,
	ssh_key     TEXT,
	kernel_from TEXT,
	initrd_from TEXT,
	boot_stamp  TEXT,
	seed        TEXT,
	booted      INTEGER NOT NULL DEFAULT 0 CHECK (booted IN (0, 1)),
	PRIMARY KEY (vm_host, vm_uuid),
	FOREIGN KEY (vm_host, vm_uuid) REFERENCES vms (host, uuid)
		ON DELETE CASCADE ON UPDATE CASCADE
);

-- A clone's disk idx is a qcow2 overlay reading through base_path, a disk
-- of the VM base_uuid (schema 3): vmtui keeps that VM read-only and
-- refuses to delete it while the clone exists; or, shared, it is that very
-- image (a read-only disk), which deleting the clone's disks leaves alone.
-- No foreign keys: vmtui may not store the base (a libvirt domain it did
-- not create), and a VM's INSERT OR REPLACE would cascade;
-- store_vm_delete removes a clone's rows.
CREATE TABLE links (
	clone_uuid TEXT NOT NULL CHECK (length(clone_uuid) = 36),
	idx        INTEGER NOT NULL CHECK (idx >= 0),
	base_uuid  TEXT NOT NULL CHECK (length(base_uuid) = 36),
	base_path  TEXT NOT NULL,
	shared     INTEGER NOT NULL DEFAULT 0 CHECK (shared IN (0, 1)),
	PRIMARY KEY (clone_uuid, idx)
);

CREATE INDEX links_by_base ON links (base_uuid);

-- The VM clone_uuid was cloned from the snapshot named snapshot of the VM
-- base_uuid (schema 7): its writable disks are overlays reading through
-- that snapshot's copies, so vmtui refuses to delete the snapshot (or its
-- VM, which takes its snapshots along) while the clone exists. warm: the
-- snapshot holds a running machine and the clone has not started yet: its
-- first start continues that machine. No foreign keys, as for links.
CREATE TABLE snapshot_clones (
	clone_uuid TEXT PRIMARY KEY CHECK (length(clone_uuid) = 36),
	base_uuid  TEXT NOT NULL CHECK (length(base_uuid) = 36),
	snapshot   TEXT NOT NULL CHECK (length(snapshot) >= 1),
	warm       INTEGER NOT NULL DEFAULT 0 CHECK (warm IN (0, 1))
);

CREATE INDEX snapshot_clones_by_base ON snapshot_clones (base_uuid, snapshot);

-- What vmtui did to which VM, when, and how it went. Not tied to vms by a
-- foreign key: the history of a deleted VM stays.
CREATE TABLE events (
	id      INTEGER PRIMARY KEY,
	time    INTEGER NOT NULL,
	vm_uuid TEXT,
	vm_name TEXT NOT NULL,
	uri     TEXT NOT NULL,
	action  TEXT NOT NULL,
	result  TEXT NOT NULL CHECK (result IN ('ok', 'error')),
	detail  TEXT NOT NULL DEFAULT ''
);

CREATE INDEX events_by_vm ON events (vm_uuid, time);
