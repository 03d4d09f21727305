// The address of a variable passed where a pointer to const is wanted (an
// iterator over a table, leveldb's `Table::Iterator iter(&table_)`) only
// reads it: the unlocked access is a read, reported as one because writes
// hold the lock; and an unlocked read beside reads only is no race. To a
// function defined in the TU (countRows) the address is no access at the
// call: what the function reads through it is (`Store::table_.rows`); to
// one defined elsewhere (checksum, compact) it is a read or a write of the
// whole variable.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/bug "" %s
// RUN: not %lockgraph check -p %t/bug 2>&1 | FileCheck %s --implicit-check-not=warning:
// RUN: sh %S/Inputs/mkdb.sh %t/fixed "-DFIXED" %s
// RUN: %lockgraph check -p %t/fixed 2>&1 | count 0
#include <mutex>
#include <thread>

struct Table {
  int rows[4];
};

static int countRows(const Table *t) { return t->rows[0]; }
int checksum(const Table *t);
void compact(Table *t);
static void addRow(Table *t) { t->rows[0]++; }

class Store {
public:
  void insert() {
    std::lock_guard<std::mutex> l(mu_);
    addRow(&table_);
    compact(&table_);
  }
  void update() {
    std::lock_guard<std::mutex> l(mu_);
    addRow(&table_);
    compact(&table_);
  }
  int size() {
#ifdef FIXED
    std::lock_guard<std::mutex> l(mu_);
#endif
    return countRows(&table_) + checksum(&table_);
#ifndef FIXED
    // CHECK: race-const-address.cpp:[[@LINE-2]]:12: warning: call to 'countRows' reads 'Store::table_.rows' without holding 'Store::mu_', which guards it at 2 of 3 accesses [lockgraph-race]
    // CHECK: race-const-address.cpp:[[@LINE-3]]:43: warning: read of 'Store::table_' without holding 'Store::mu_', which guards it at 2 of 3 accesses [lockgraph-race]
#endif
  }
  // Reads only, with and without the lock: nothing to race with.
  int peek() { return countRows(&index_); }
  int peekLocked() {
    std::lock_guard<std::mutex> l(mu_);
    return countRows(&index_) + countRows(&index_);
  }

private:
  std::mutex mu_;
  Table table_{};
  Table index_{};
};

Store g_store;

int main() {
  std::thread a([] {
    g_store.insert();
    g_store.size();
    g_store.peek();
  });
  std::thread b([] {
    g_store.update();
    g_store.size();
    g_store.peekLocked();
  });
  a.join();
  b.join();
}
