//===- Result.h - Error-or-value without LLVM -------------------*- C++ -*-===//
//
// core/ cannot depend on LLVM (the preload runtime links it into arbitrary
// programs), so it reports failures with this small value type instead of
// llvm::Expected. Tools convert it at their boundary.
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_CORE_RESULT_H
#define LOCKGRAPH_CORE_RESULT_H

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace lockgraph {

/// A failure described for a human: one line, naming what failed and why.
struct Error {
  std::string Message;
};

/// Result<T> holds either a T or an Error. Contract: check `ok()` (or the
/// bool conversion) before calling `value()`; `error()` only when not ok.
template <typename T> class [[nodiscard]] Result {
public:
  Result(T Value) : Storage(std::move(Value)) {}
  Result(Error E) : Storage(std::move(E)) {}

  bool ok() const { return std::holds_alternative<T>(Storage); }
  explicit operator bool() const { return ok(); }

  T &value() & {
    assert(ok());
    return std::get<T>(Storage);
  }
  const T &value() const & {
    assert(ok());
    return std::get<T>(Storage);
  }
  T &&value() && {
    assert(ok());
    return std::get<T>(std::move(Storage));
  }
  T *operator->() { return &value(); }
  const T *operator->() const { return &value(); }
  T &operator*() & { return value(); }

  const Error &error() const {
    assert(!ok());
    return std::get<Error>(Storage);
  }

private:
  std::variant<T, Error> Storage;
};

/// Success with no value.
struct Ok {};
using Status = Result<Ok>;

inline Status success() { return Ok{}; }

} // namespace lockgraph

#endif // LOCKGRAPH_CORE_RESULT_H
