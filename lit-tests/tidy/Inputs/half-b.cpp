#include <mutex>
std::mutex A, B;
void second() {
  std::lock_guard<std::mutex> lb(B);
  std::lock_guard<std::mutex> la(A);
}
