/* The front of the portable vigil (make static): a static program that starts the real binary
 * with the dynamic loader and libraries bundled beside it, so vigil runs on a host that has
 * none of its libraries (or another glibc) without installing anything.
 *   DIR/vigil            this launcher
 *   DIR/lib/ld.so        the loader vigil was linked against
 *   DIR/lib/vigil.bin    vigil; DIR/lib/*.so* every library it needs
 *   DIR/share/vigil/     the rules (found from the loader's path: DIR/lib/..) */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char** argv) {
  char self[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n > 0) {
    self[n] = '\0';
  } else if (!realpath(argv[0], self)) { /* no /proc: where we were called from */
    fprintf(stderr, "vigil: cannot find the bundle's directory (no /proc, and %s does not resolve)\n", argv[0]);
    return 127;
  }
  char* slash = strrchr(self, '/');
  if (!slash) return 127;
  *slash = '\0';
  char loader[PATH_MAX], libdir[PATH_MAX], binary[PATH_MAX];
  if (snprintf(loader, sizeof loader, "%s/lib/ld.so", self) >= (int)sizeof loader ||
      snprintf(libdir, sizeof libdir, "%s/lib", self) >= (int)sizeof libdir ||
      snprintf(binary, sizeof binary, "%s/lib/vigil.bin", self) >= (int)sizeof binary)
    return 127;
  char** args = calloc((size_t)argc + 6, sizeof *args);
  if (!args) return 127;
  int i = 0;
  args[i++] = loader;
  args[i++] = "--library-path";
  args[i++] = libdir;
  args[i++] = "--argv0";
  args[i++] = argv[0];
  args[i++] = binary;
  for (int a = 1; a < argc; ++a) args[i++] = argv[a];
  args[i] = NULL;
  execv(loader, args);
  perror("vigil: cannot start the bundled loader");
  return 127;
}
