#include <mutex>
extern std::mutex A, B;
void first() {
  std::lock_guard<std::mutex> la(A);
  std::lock_guard<std::mutex> lb(B);
}
