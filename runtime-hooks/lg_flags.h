//===- lg_flags.h - Runtime flags -------------------------------*- C++ -*-===//
//
// Flags come from LOCKGRAPH_OPTIONS=key=value:key=value (',' and whitespace
// also separate). Parsing never allocates and never calls an interposed
// function, so it can run from the library constructor.
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_RT_FLAGS_H
#define LOCKGRAPH_RT_FLAGS_H

#include <cstddef>

namespace lockgraph::rt {

/// Maximum length of one string flag value (longer values are truncated).
constexpr size_t MaxFlagString = 512;

struct Flags {
#define LOCKGRAPH_FLAG(Type, Name, Default, Help) Type Name;
#include "lg_flags.inc"
#undef LOCKGRAPH_FLAG
  /// Backing storage for string values (the parsed text is copied here).
  char Storage[8][MaxFlagString];
  unsigned StorageUsed;

  void setDefaults();
};

/// Called once per problem found while parsing: an unknown key or a bad
/// value. \p Msg is a complete line without the trailing newline.
using FlagWarningFn = void (*)(const char *Msg, void *Ctx);

/// Parses \p Text into \p F (which keeps its current values for keys not
/// mentioned). Returns the number of problems reported through \p Warn.
unsigned parseFlags(Flags &F, const char *Text, FlagWarningFn Warn, void *Ctx);

/// Writes one "name=value  help" line per flag through \p Out.
void printFlags(const Flags &F, void (*Out)(const char *Line, void *Ctx),
                void *Ctx);

} // namespace lockgraph::rt

#endif // LOCKGRAPH_RT_FLAGS_H
