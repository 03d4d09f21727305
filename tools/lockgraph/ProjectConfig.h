//===- ProjectConfig.h - .lockgraph.yaml ------------------------*- C++ -*-===//
//
// A project's lockgraph settings, read with llvm::yaml from .lockgraph.yaml
// (found upwards from the working directory) or --config=FILE. Documented in
// docs/config.md.
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_TOOLS_PROJECTCONFIG_H
#define LOCKGRAPH_TOOLS_PROJECTCONFIG_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace lockgraph::tool {

struct ConfigSuppression {
  std::string Check;              ///< empty: any check
  std::vector<std::string> Locks; ///< the finding involves exactly these locks
  std::string Fingerprint;        ///< or: this fingerprint
  std::string Reason;
};

struct ProjectConfig {
  std::string Path; ///< the file it came from; empty when there is none
  /// clang-tidy style globs: "-*,lockgraph-lock-order"; empty: every check.
  std::string Checks;
  /// Declared hierarchy: locks in the order they must be acquired.
  std::vector<std::string> LockOrder;
  /// Other name -> the lock's name (a runtime class to its declaration).
  std::unordered_map<std::string, std::string> Aliases;
  std::vector<std::string> BlockingFunctions;
  std::vector<std::string> NonBlockingFunctions;
  /// Glob patterns of files whose findings are not reported.
  std::vector<std::string> ExcludePaths;
  std::vector<ConfigSuppression> Suppressions;

  /// Whether a check is enabled by Checks.
  bool isCheckEnabled(llvm::StringRef Check) const;
  /// Whether findings located in File are excluded by ExcludePaths.
  bool isPathExcluded(llvm::StringRef File) const;
};

/// Whether clang-tidy style check globs ("-*,lockgraph-lock-order": applied
/// left to right, '-' removes, the last match wins) enable \p Check. Empty
/// globs enable every check.
bool checkGlobsMatch(llvm::StringRef Globs, llvm::StringRef Check);

/// Parses \p Text; errors name \p Path with line and column.
llvm::Expected<ProjectConfig> parseProjectConfig(llvm::StringRef Text,
                                                 llvm::StringRef Path);
llvm::Expected<ProjectConfig> loadProjectConfig(llvm::StringRef Path);
/// The nearest .lockgraph.yaml in \p StartDir or a parent directory.
std::optional<std::string> findProjectConfig(llvm::StringRef StartDir);

} // namespace lockgraph::tool

#endif // LOCKGRAPH_TOOLS_PROJECTCONFIG_H
