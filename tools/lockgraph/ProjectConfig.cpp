//===- ProjectConfig.cpp - .lockgraph.yaml through llvm::yaml -------------===//
#include "ProjectConfig.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/GlobPattern.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/YAMLTraits.h"

using namespace llvm;
using lockgraph::tool::ConfigSuppression;
using lockgraph::tool::ProjectConfig;

LLVM_YAML_IS_SEQUENCE_VECTOR(ConfigSuppression)

namespace llvm::yaml {

template <> struct MappingTraits<ConfigSuppression> {
  static void mapping(IO &Io, ConfigSuppression &S) {
    Io.mapOptional("check", S.Check);
    Io.mapOptional("locks", S.Locks);
    Io.mapOptional("fingerprint", S.Fingerprint);
    Io.mapOptional("reason", S.Reason);
  }
  static std::string validate(IO &, ConfigSuppression &S) {
    if (S.Locks.empty() && S.Fingerprint.empty())
      return "a suppression needs 'locks' or 'fingerprint'";
    return "";
  }
};

/// lock-aliases: { canonical-name: [alias, ...] }
template <> struct CustomMappingTraits<std::unordered_map<std::string, std::string>> {
  static void inputOne(IO &Io, StringRef Canonical,
                       std::unordered_map<std::string, std::string> &Aliases) {
    std::vector<std::string> Names;
    Io.mapRequired(Canonical.str().c_str(), Names);
    for (const std::string &Name : Names)
      Aliases[Name] = Canonical.str();
  }
  static void output(IO &, std::unordered_map<std::string, std::string> &) {}
};

template <> struct MappingTraits<ProjectConfig> {
  static void mapping(IO &Io, ProjectConfig &C) {
    Io.mapOptional("checks", C.Checks);
    Io.mapOptional("lock-order", C.LockOrder);
    Io.mapOptional("lock-aliases", C.Aliases);
    Io.mapOptional("blocking-functions", C.BlockingFunctions);
    Io.mapOptional("non-blocking-functions", C.NonBlockingFunctions);
    Io.mapOptional("exclude-paths", C.ExcludePaths);
    Io.mapOptional("suppressions", C.Suppressions);
  }
};

} // namespace llvm::yaml

namespace lockgraph::tool {

bool checkGlobsMatch(StringRef Globs, StringRef Check) {
  if (Globs.trim().empty())
    return true;
  bool Enabled = false;
  SmallVector<StringRef, 8> Parts;
  Globs.split(Parts, ',', -1, /*KeepEmpty=*/false);
  for (StringRef Glob : Parts) {
    Glob = Glob.trim();
    bool Negative = Glob.consume_front("-");
    Expected<GlobPattern> Pattern = GlobPattern::create(Glob);
    if (!Pattern) {
      consumeError(Pattern.takeError());
      continue;
    }
    if (Pattern->match(Check))
      Enabled = !Negative;
  }
  return Enabled;
}

bool ProjectConfig::isCheckEnabled(StringRef Check) const {
  return checkGlobsMatch(Checks, Check);
}

bool ProjectConfig::isPathExcluded(StringRef File) const {
  for (const std::string &Glob : ExcludePaths) {
    Expected<GlobPattern> Pattern = GlobPattern::create(Glob);
    if (!Pattern) {
      consumeError(Pattern.takeError());
      continue;
    }
    if (Pattern->match(File))
      return true;
  }
  return false;
}

Expected<ProjectConfig> parseProjectConfig(StringRef Text, StringRef Path) {
  std::string Diagnostic;
  auto Handler = [](const SMDiagnostic &D, void *Context) {
    std::string &Out = *static_cast<std::string *>(Context);
    if (Out.empty())
      Out = (D.getFilename() + ":" + Twine(D.getLineNo()) + ":" +
             Twine(D.getColumnNo() + 1) + ": " + D.getMessage())
                .str();
  };
  auto Buffer = MemoryBuffer::getMemBuffer(Text, Path, /*RequiresNullTerminator=*/false);
  ProjectConfig Config;
  yaml::Input In(Buffer->getMemBufferRef(), nullptr, Handler, &Diagnostic);
  if (!Text.trim().empty())
    In >> Config;
  if (In.error() || !Diagnostic.empty()) {
    if (Diagnostic.empty())
      Diagnostic = (Path + ": invalid configuration").str();
    return createStringError(inconvertibleErrorCode(), Diagnostic);
  }
  for (const std::string &Glob : Config.ExcludePaths)
    if (Expected<GlobPattern> P = GlobPattern::create(Glob); !P)
      return createStringError(inconvertibleErrorCode(),
                               "%s: exclude-paths: bad pattern '%s': %s", Path.str().c_str(),
                               Glob.c_str(), toString(P.takeError()).c_str());
  Config.Path = Path.str();
  return Config;
}

Expected<ProjectConfig> loadProjectConfig(StringRef Path) {
  ErrorOr<std::unique_ptr<MemoryBuffer>> Buffer = MemoryBuffer::getFile(Path);
  if (!Buffer)
    return createStringError(Buffer.getError(), "%s: cannot read: %s", Path.str().c_str(),
                             Buffer.getError().message().c_str());
  return parseProjectConfig((*Buffer)->getBuffer(), Path);
}

std::optional<std::string> findProjectConfig(StringRef StartDir) {
  SmallString<256> Dir(StartDir);
  if (sys::fs::make_absolute(Dir))
    return std::nullopt;
  for (StringRef D = Dir; !D.empty(); D = sys::path::parent_path(D)) {
    SmallString<256> Candidate(D);
    sys::path::append(Candidate, ".lockgraph.yaml");
    if (sys::fs::is_regular_file(Candidate))
      return std::string(Candidate);
  }
  return std::nullopt;
}

} // namespace lockgraph::tool
