// Functions stored in fields of C++ aggregates whose initializers do not line
// up with the fields one to one (a base class comes first; an unnamed
// bit-field gets none) are still found as the targets of calls through those
// fields: call() holds a while the stored take_b() takes b, and rev() takes b
// then a.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/bug "" %s
// RUN: not %lockgraph check -p %t/bug 2>&1 | FileCheck %s --implicit-check-not=warning:
// RUN: sh %S/Inputs/mkdb.sh %t/fixed "-DFIXED" %s
// RUN: %lockgraph check -p %t/fixed 2>&1 | count 0
#include <mutex>

std::mutex a, b;
struct Base {
  int id;
};
struct WithBase : Base {
  void (*first)();
  void (*run)();
};
struct WithBitField {
  int : 3;
  void (*run)();
};

static void take_b() { std::lock_guard<std::mutex> g(b); }
// CHECK: field-callback-aggregate.cpp:[[@LINE-1]]:52: warning: potential deadlock: lock order cycle a -> b -> a [lockgraph-lock-order]
// CHECK: note: 'b' acquired here while holding 'a' (seen 2 times)
// CHECK-NEXT: note: 'take_b' called here
static void take_a() { std::lock_guard<std::mutex> g(a); }
WithBase with_base = {{1}, nullptr, take_b};
WithBitField with_bit_field = {take_b};

void call(WithBase *o, WithBitField *p) {
#ifndef FIXED
  std::lock_guard<std::mutex> g(a);
#endif
  o->run();
  p->run();
}

void rev() {
  std::lock_guard<std::mutex> g(b);
  take_a();
}
