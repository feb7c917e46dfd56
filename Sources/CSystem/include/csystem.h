#ifndef MODELGATE_CSYSTEM_H
#define MODELGATE_CSYSTEM_H

/* The few libc calls Swift cannot reach directly. */
#include <spawn.h>

/// `posix_spawn_file_actions_addchdir_np`, which glibc declares only under _GNU_SOURCE.
int modelgate_spawn_addchdir(posix_spawn_file_actions_t *actions, const char *path);

/// The glibc version (`gnu_get_libc_version`), for the `libc` environment fact.
const char *modelgate_libc_version(void);
/// Swaps two paths atomically (`renameat2` with `RENAME_EXCHANGE`); 0, or -1 with errno.
int modelgate_exchange(const char *a, const char *b);
#endif
