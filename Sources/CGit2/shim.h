#ifndef MODELGATE_CGIT2_SHIM_H
#define MODELGATE_CGIT2_SHIM_H

#define GIT_DEPRECATE_HARD
#include <git2.h>

/* git_libgit2_opts is variadic, which Swift cannot call: one wrapper per option modelgate sets. */

/* Reads objects without recomputing their SHA-1, as Git itself does (`git cat-file`, `git log`): ids were
   checked when the objects were fetched or written, and libgit2's collision-detecting SHA-1 costs more than
   inflating them. */
static inline int modelgate_git_trust_object_ids(void) {
    return git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
}

#endif
