#define _GNU_SOURCE
#include <spawn.h>
#include "csystem.h"

int modelgate_spawn_addchdir(posix_spawn_file_actions_t *actions, const char *path) {
    return posix_spawn_file_actions_addchdir_np(actions, path);
}

#include <gnu/libc-version.h>

const char *modelgate_libc_version(void) {
    return gnu_get_libc_version();
}

#include <fcntl.h>
#include <stdio.h>

int modelgate_exchange(const char *a, const char *b) {
    return renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE);
}
