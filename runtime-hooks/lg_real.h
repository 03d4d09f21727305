//===- lg_real.h - The interposed functions' real definitions ---*- C++ -*-===//
//
// Each interposer file declares the real functions it calls with
// LG_DEFINE_REAL and calls them through LG_REAL(name). Resolution is lazy
// (dlsym(RTLD_NEXT), or dlvsym for versioned symbols), so a call that
// arrives before the library constructor (another library's constructor
// locking a mutex) still works.
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_RT_REAL_H
#define LOCKGRAPH_RT_REAL_H

#include "lg_internal.h"

namespace lockgraph::rt {
/// dlvsym(RTLD_NEXT, Name, Version) when Version is set and found, else
/// dlsym(RTLD_NEXT, Name). Aborts with a message when neither exists.
void *resolveReal(const char *Name, const char *Version);
} // namespace lockgraph::rt

#define LG_DEFINE_REAL_V(Ret, Name, Params, Version)                           \
  using lg_fn_##Name = Ret(*) Params;                                          \
  static lg_fn_##Name lg_real_##Name;                                          \
  LG_DEFINE_RESOLVER(Name, Version)
/// The same, kept in \p Storage (a pointer of that type defined elsewhere).
#define LG_DEFINE_REAL_AT(Ret, Name, Params, Storage)                          \
  using lg_fn_##Name = Ret(*) Params;                                          \
  static lg_fn_##Name &lg_real_##Name = Storage;                               \
  LG_DEFINE_RESOLVER(Name, nullptr)
#define LG_DEFINE_RESOLVER(Name, Version)                                      \
  static LG_NOINLINE lg_fn_##Name lg_resolve_##Name() {                        \
    lg_fn_##Name F = reinterpret_cast<lg_fn_##Name>(                           \
        ::lockgraph::rt::resolveReal(#Name, Version));                         \
    __atomic_store_n(&lg_real_##Name, F, __ATOMIC_RELEASE);                    \
    return F;                                                                  \
  }
#define LG_DEFINE_REAL(Ret, Name, Params) LG_DEFINE_REAL_V(Ret, Name, Params, nullptr)
#define LG_REAL(Name)                                                          \
  (LG_LIKELY(lg_real_##Name) ? lg_real_##Name : lg_resolve_##Name())

#endif // LOCKGRAPH_RT_REAL_H
