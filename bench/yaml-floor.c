/* The floor for reading a registry with LibYAML: every blob of HEAD's tree read through libgit2 and parsed
 * into LibYAML events, nothing built from them, on `threads` threads (each with its own repository handle,
 * taking every threads-th blob). What `validate` does beyond this is modelgate's own cost.
 * Build: cc -O2 -o yaml-floor yaml-floor.c $(pkg-config --cflags --libs libgit2 yaml-0.1) -lpthread */
#include <git2.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

static git_oid *blobs;
static size_t count, capacity;
static const char *path;
static int threads = 2;

static int collect(const char *root, const git_tree_entry *entry, void *payload) {
    (void)root;
    (void)payload;
    if (git_tree_entry_type(entry) != GIT_OBJECT_BLOB) return 0;
    if (count == capacity) blobs = realloc(blobs, (capacity = capacity ? capacity * 2 : 1024) * sizeof *blobs);
    blobs[count++] = *git_tree_entry_id(entry);
    return 0;
}

static void *parse(void *argument) {
    size_t first = (size_t)argument;
    git_repository *repository;
    if (git_repository_open(&repository, path) < 0) exit(2);
    size_t events = 0;
    for (size_t index = first; index < count; index += threads) {
        git_blob *blob;
        if (git_blob_lookup(&blob, repository, &blobs[index]) < 0) exit(2);
        yaml_parser_t parser;
        yaml_parser_initialize(&parser);
        yaml_parser_set_input_string(&parser, git_blob_rawcontent(blob), git_blob_rawsize(blob));
        yaml_event_t event;
        int done = 0;
        while (!done) {
            if (!yaml_parser_parse(&parser, &event)) break;
            done = event.type == YAML_STREAM_END_EVENT;
            yaml_event_delete(&event);
            events++;
        }
        yaml_parser_delete(&parser);
        git_blob_free(blob);
    }
    git_repository_free(repository);
    return (void *)events;
}

int main(int argc, char **argv) {
    if (argc < 2) return 2;
    path = argv[1];
    if (argc > 2) threads = atoi(argv[2]);
    git_libgit2_init();
    git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
    git_repository *repository;
    git_object *tree;
    if (git_repository_open(&repository, path) < 0 || git_revparse_single(&tree, repository, "HEAD^{tree}") < 0) return 2;
    git_tree_walk((git_tree *)tree, GIT_TREEWALK_PRE, collect, NULL);
    pthread_t workers[64];
    for (int index = 0; index < threads; index++) pthread_create(&workers[index], NULL, parse, (void *)(size_t)index);
    size_t events = 0;
    for (int index = 0; index < threads; index++) {
        void *result;
        pthread_join(workers[index], &result);
        events += (size_t)result;
    }
    fprintf(stderr, "%zu blobs, %zu events\n", count, events);
    return 0;
}
