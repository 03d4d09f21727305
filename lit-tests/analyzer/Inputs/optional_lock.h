// A guard that locks the mutex it is given unless it is given none, as
// libzmq's scoped_optional_lock_t does (optional-guard.cpp,
// race-optional-guard.cpp).
#include <mutex>

struct optional_lock_t {
  explicit optional_lock_t(std::mutex *mutex) : mutex_(mutex) {
    if (mutex_ != nullptr)
      mutex_->lock();
  }
  ~optional_lock_t() {
    if (mutex_ != nullptr)
      mutex_->unlock();
  }
  std::mutex *mutex_;
};
