//===- lg_flags.cpp - Runtime flag parsing ----------------------------------===//
#include "lg_flags.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace lockgraph::rt {

void Flags::setDefaults() {
#define LOCKGRAPH_FLAG(Type, Name, Default, Help) Name = Default;
#include "lg_flags.inc"
#undef LOCKGRAPH_FLAG
  StorageUsed = 0;
}

namespace {

bool isSep(char C) {
  return C == ':' || C == ',' || C == ' ' || C == '\t' || C == '\n' ||
         C == '\r';
}

bool parseValue(bool &Out, const char *V, size_t N) {
  auto Eq = [&](const char *S) {
    return strlen(S) == N && strncmp(S, V, N) == 0;
  };
  if (Eq("1") || Eq("true") || Eq("yes") || Eq("on")) {
    Out = true;
    return true;
  }
  if (Eq("0") || Eq("false") || Eq("no") || Eq("off")) {
    Out = false;
    return true;
  }
  return false;
}

bool parseValue(int &Out, const char *V, size_t N) {
  if (N == 0 || N > 18)
    return false;
  long long R = 0;
  size_t I = 0;
  bool Neg = false;
  if (V[0] == '-') {
    Neg = true;
    I = 1;
    if (N == 1)
      return false;
  }
  for (; I < N; ++I) {
    if (V[I] < '0' || V[I] > '9')
      return false;
    R = R * 10 + (V[I] - '0');
  }
  if (R > 0x7fffffff)
    return false;
  Out = int(Neg ? -R : R);
  return true;
}

bool parseValue(const char *&Out, const char *V, size_t N, Flags &F) {
  if (F.StorageUsed >= sizeof(F.Storage) / sizeof(F.Storage[0]))
    return false;
  char *Dst = F.Storage[F.StorageUsed++];
  if (N >= MaxFlagString)
    N = MaxFlagString - 1;
  memcpy(Dst, V, N);
  Dst[N] = 0;
  Out = Dst;
  return true;
}

template <typename T> bool parseAny(T &Out, const char *V, size_t N, Flags &) {
  return parseValue(Out, V, N);
}
template <>
bool parseAny<const char *>(const char *&Out, const char *V, size_t N,
                            Flags &F) {
  return parseValue(Out, V, N, F);
}

void warn(FlagWarningFn Fn, void *Ctx, const char *What, const char *K,
          size_t KN, const char *V, size_t VN) {
  if (!Fn)
    return;
  char Buf[256];
  if (V)
    snprintf(Buf, sizeof(Buf), "lockgraph: %s '%.*s' in LOCKGRAPH_OPTIONS "
             "(value '%.*s'), ignored", What, int(KN), K, int(VN), V);
  else
    snprintf(Buf, sizeof(Buf), "lockgraph: %s '%.*s' in LOCKGRAPH_OPTIONS, "
             "ignored (see LOCKGRAPH_OPTIONS=help=1)", What, int(KN), K);
  Fn(Buf, Ctx);
}

} // namespace

unsigned parseFlags(Flags &F, const char *Text, FlagWarningFn Warn,
                    void *Ctx) {
  unsigned Problems = 0;
  if (!Text)
    return 0;
  const char *P = Text;
  while (*P) {
    while (*P && isSep(*P))
      ++P;
    if (!*P)
      break;
    const char *Key = P;
    while (*P && *P != '=' && !isSep(*P))
      ++P;
    size_t KeyLen = size_t(P - Key);
    const char *Val = nullptr;
    size_t ValLen = 0;
    if (*P == '=') {
      ++P;
      Val = P;
      // Quoted values may contain separators.
      if (*P == '"' || *P == '\'') {
        char Q = *P++;
        Val = P;
        while (*P && *P != Q)
          ++P;
        ValLen = size_t(P - Val);
        if (*P)
          ++P;
      } else {
        while (*P && !isSep(*P))
          ++P;
        ValLen = size_t(P - Val);
      }
    }
    bool Known = false, Good = false;
#define LOCKGRAPH_FLAG(Type, Name, Default, Help)                              \
  if (!Known && KeyLen == sizeof(#Name) - 1 &&                                 \
      strncmp(Key, #Name, KeyLen) == 0) {                                      \
    Known = true;                                                              \
    Good = Val && parseAny<Type>(F.Name, Val, ValLen, F);                      \
  }
#include "lg_flags.inc"
#undef LOCKGRAPH_FLAG
    if (!Known) {
      warn(Warn, Ctx, "unknown option", Key, KeyLen, nullptr, 0);
      ++Problems;
    } else if (!Good) {
      warn(Warn, Ctx, "bad value for option", Key, KeyLen, Val ? Val : "",
           ValLen);
      ++Problems;
    }
  }
  return Problems;
}

namespace {
void fmtValue(char *Buf, size_t N, bool V) { snprintf(Buf, N, "%d", V ? 1 : 0); }
void fmtValue(char *Buf, size_t N, int V) { snprintf(Buf, N, "%d", V); }
void fmtValue(char *Buf, size_t N, const char *V) {
  snprintf(Buf, N, "\"%s\"", V ? V : "");
}
} // namespace

void printFlags(const Flags &F, void (*Out)(const char *Line, void *Ctx),
                void *Ctx) {
  char Val[MaxFlagString + 4];
  char Line[MaxFlagString + 512];
#define LOCKGRAPH_FLAG(Type, Name, Default, Help)                              \
  fmtValue(Val, sizeof(Val), F.Name);                                          \
  snprintf(Line, sizeof(Line), "  %s=%s\n      %s\n", #Name, Val, Help);       \
  Out(Line, Ctx);
#include "lg_flags.inc"
#undef LOCKGRAPH_FLAG
}

} // namespace lockgraph::rt
