// A std::function member calls what the program stores in it: a lambda
// handed to a setter that moves it into the member (Button::on_click), or
// to a constructor that initializes the member with it (Timer). click() and
// fire() run them holding their own mutex, and the lambdas take model_mu,
// which audit() holds while it asks both for their state: two cycles only
// visible through the members. Run without the members' mutexes in click()
// and fire() (UNLOCKED), there is none.
// RUN: rm -rf %t && sh %S/Inputs/mkdb.sh %t/ok "" %s
// RUN: not %lockgraph check -p %t/ok 2>&1 | FileCheck %s --implicit-check-not=warning:
// RUN: sh %S/Inputs/mkdb.sh %t/unlocked "-DUNLOCKED" %s
// RUN: %lockgraph check -p %t/unlocked 2>&1 | count 0
#include <functional>
#include <mutex>
#include <utility>

std::mutex model_mu;
int model;

class Button {
public:
  void on_click(std::function<void()> cb) { cb_ = std::move(cb); }
  void click() {
#ifndef UNLOCKED
    std::lock_guard<std::mutex> lock(mu_);
#endif
    cb_();
  }
  int clicks() {
    std::lock_guard<std::mutex> lock(mu_);
    return clicks_;
  }

private:
  std::mutex mu_;
  std::function<void()> cb_;
  int clicks_ = 0;
};

class Timer {
public:
  explicit Timer(std::function<void()> tick) : tick_(std::move(tick)) {}
  void fire() {
#ifndef UNLOCKED
    std::lock_guard<std::mutex> lock(mu_);
#endif
    tick_();
  }
  int ticks() {
    std::lock_guard<std::mutex> lock(mu_);
    return ticks_;
  }

private:
  std::mutex mu_;
  std::function<void()> tick_;
  int ticks_ = 0;
};

void wire(Button &b) {
  b.on_click([] {
    std::lock_guard<std::mutex> lock(model_mu);
    ++model;
  });
}

Timer make_timer() {
  return Timer([] {
    std::lock_guard<std::mutex> lock(model_mu);
    --model;
  });
}

int audit(Button &b, Timer &t) {
  std::lock_guard<std::mutex> lock(model_mu);
  return b.clicks() + t.ticks();
}
// CHECK: std-function-field.cpp:61:33: warning: potential deadlock: lock order cycle Button::mu_ -> model_mu -> Button::mu_ [lockgraph-lock-order]
// CHECK-NEXT: std-function-field.cpp:24:33: note: 'Button::mu_' acquired here
// CHECK-NEXT: std-function-field.cpp:61:33: note: 'model_mu' acquired here while holding 'Button::mu_'
// CHECK-NEXT: std-function-field.cpp:26:5: note: 'wire::lambda' called here
// CHECK: std-function-field.cpp:68:33: warning: potential deadlock: lock order cycle Timer::mu_ -> model_mu -> Timer::mu_ [lockgraph-lock-order]
// CHECK-NEXT: std-function-field.cpp:44:33: note: 'Timer::mu_' acquired here
// CHECK-NEXT: std-function-field.cpp:68:33: note: 'model_mu' acquired here while holding 'Timer::mu_'
// CHECK-NEXT: std-function-field.cpp:46:5: note: 'make_timer::lambda' called here
