# lit configuration for lockgraph's end-to-end tests.
import os
import shutil
import subprocess
import sys
import lit.formats

config.name = "lockgraph"
config.test_format = lit.formats.ShTest(execute_external=True)
config.suffixes = [".test", ".c", ".cpp"]
config.excludes = ["Inputs", "CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.lockgraph_obj_root, "lit-tests")

bin_dir = os.path.join(config.lockgraph_obj_root, "bin")
lib_dir = os.path.join(config.lockgraph_obj_root, "lib")

# Hermetic: tools from LLVM 19 and our build only, no user option leaks in.
config.environment["PATH"] = os.pathsep.join(
    [bin_dir, config.llvm_tools_dir, config.environment.get("PATH", os.environ.get("PATH", ""))])
config.environment["CLANG_NO_DEFAULT_CONFIG"] = "1"
for var in ["LOCKGRAPH_OPTIONS", "LD_PRELOAD", "TSAN_OPTIONS"]:
    config.environment.pop(var, None)

# Lets a developer validate SARIF against the official schema file.
if "LOCKGRAPH_SARIF_SCHEMA" in os.environ:
    config.environment["LOCKGRAPH_SARIF_SCHEMA"] = os.environ["LOCKGRAPH_SARIF_SCHEMA"]

config.substitutions.append(("%lockgraph", os.path.join(bin_dir, "lockgraph")))
config.substitutions.append(("%preload", os.path.join(lib_dir, "liblockgraph.so")))
# Before %clang, which is a prefix of it: lit substitutes in order.
if config.clang_tidy:
    config.substitutions.append(("%clang_tidy", config.clang_tidy))
    config.available_features.add("clang-tidy")
config.substitutions.append(("%clangxx", config.clangxx + " -std=c++20 -g -O0 -pthread"))
config.substitutions.append(("%clang", config.clang + " -g -O0 -pthread"))
config.substitutions.append(("%env_lg_opts=", "env LOCKGRAPH_OPTIONS="))
config.substitutions.append(("%python", sys.executable))
config.substitutions.append(("%inputs", os.path.join(config.test_source_root, "Inputs")))
config.substitutions.append(("%srcroot", config.lockgraph_src_root))
config.substitutions.append(("%samples", os.path.join(config.lockgraph_obj_root, "samples")))
tidy_plugin = os.path.join(lib_dir, "liblockgraph-tidy.so")
config.substitutions.append(("%tidy_plugin", tidy_plugin))
if config.clang_tidy and os.path.exists(tidy_plugin):
    config.available_features.add("tidy-plugin")

if os.path.exists(os.path.join(lib_dir, "liblockgraph.so")):
    config.available_features.add("runtime")
# A thread at real-time priority runs until it blocks: the test that needs
# many created-but-not-started threads (root, or CAP_SYS_NICE) uses it.
if subprocess.run(["chrt", "-f", "1", "true"], stdout=subprocess.DEVNULL,
                  stderr=subprocess.DEVNULL).returncode == 0:
    config.available_features.add("sched-fifo")
if shutil.which("chromium"):
    config.available_features.add("chromium")
# Tests of programs that drop root's privileges (a daemon's `-u nobody`).
if os.geteuid() == 0:
    config.available_features.add("root")
if config.has_analyzer:
    config.available_features.add("analyzer")
