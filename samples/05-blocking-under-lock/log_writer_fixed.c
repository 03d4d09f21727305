/* Sample 05, fixed: a lock held across blocking I/O.
 *
 * The bug (log_writer.c): log_line() called write() while holding log_mu, so
 * every logging thread waited for the disk.
 *
 * Why the fix works: log_mu now guards only the in-memory buffer. When the
 * buffer is full, log_line() copies it out under the lock (a memcpy, which
 * cannot block), releases the lock, and only then calls write(). Other threads
 * keep appending to the emptied buffer while the write runs. Lines stay whole
 * (a buffer only ever holds whole lines); two full buffers may reach the file
 * in either order, which a log with timestamps tolerates (a single writer
 * thread fed by a queue would keep the order too).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { kBufferSize = 512, kLinesPerThread = 200 };

static pthread_mutex_t log_mu = PTHREAD_MUTEX_INITIALIZER;
static char log_buffer[kBufferSize]; /* guarded by log_mu */
static size_t log_used;              /* guarded by log_mu */
static int log_fd = -1;

/* Appends Line to the log. Caller must not hold log_mu. */
static void log_line(const char *line) {
  char full[kBufferSize]; /* a full buffer, copied out under the lock */
  size_t full_used = 0;
  size_t len = strlen(line);

  pthread_mutex_lock(&log_mu);
  if (log_used + len > sizeof log_buffer) {
    memcpy(full, log_buffer, log_used); /* FIX: copy under the lock... */
    full_used = log_used;
    log_used = 0;
  }
  memcpy(log_buffer + log_used, line, len);
  log_used += len;
  pthread_mutex_unlock(&log_mu);

  /* ...and write after releasing it. */
  if (full_used > 0 && write(log_fd, full, full_used) < 0)
    perror("write");
}

static void *worker(void *arg) {
  char line[64];
  for (int i = 0; i < kLinesPerThread; ++i) {
    snprintf(line, sizeof line, "worker %ld: request %d done\n", (long)arg, i);
    log_line(line);
  }
  return NULL;
}

int main(void) {
  char path[] = "/tmp/lockgraph-sample-log-XXXXXX";
  log_fd = mkstemp(path);
  if (log_fd < 0) {
    perror("mkstemp");
    return 1;
  }
  unlink(path); /* the file lives until log_fd is closed */

  pthread_t threads[2];
  for (long i = 0; i < 2; ++i)
    pthread_create(&threads[i], NULL, worker, (void *)i);
  for (int i = 0; i < 2; ++i)
    pthread_join(threads[i], NULL);

  /* Flush the tail (single-threaded by now). */
  if (log_used > 0 && write(log_fd, log_buffer, log_used) < 0)
    perror("write");
  long size = (long)lseek(log_fd, 0, SEEK_END);
  close(log_fd);
  printf("log_writer: wrote %ld bytes\n", size);
  return 0;
}
