// A compile command whose "directory" does not exist (a relative one, read
// from another directory; a build tree moved away) is one clear error
// naming the file and the directory, exit status 2, and the database's
// other files are still analyzed and their findings reported. libTooling
// aborted the whole process when it could not change into it.
// RUN: rm -rf %t && mkdir -p %t/db
// RUN: printf '[{"directory": "%t", "file": "%s", "arguments": ["clang", "-c", "%s"]},\n{"directory": "no-such-build-dir", "file": "%t/other.c", "arguments": ["clang", "-c", "other.c"]}]' > %t/db/compile_commands.json
// RUN: cd %t && %lockgraph check -p %t/db --no-cache > %t/out 2> %t/err; test $? = 2
// RUN: FileCheck %s --input-file=%t/out
// RUN: FileCheck %s --check-prefix=ERR --input-file=%t/err
#include <pthread.h>
#include <unistd.h>

static pthread_mutex_t L = PTHREAD_MUTEX_INITIALIZER;

void f(int fd) {
  char c;
  pthread_mutex_lock(&L);
  (void)!read(fd, &c, 1);
  pthread_mutex_unlock(&L);
}

// CHECK: database-missing-directory.c:[[#@LINE-4]]:10: warning: blocking call to 'read' while holding 'L' [lockgraph-blocking-under-lock]
// ERR: lockgraph: error: {{.*}}other.c: the directory of its compile command, 'no-such-build-dir', does not exist; not analyzed
