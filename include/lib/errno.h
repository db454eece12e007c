// SPDX-License-Identifier: MIT
/*
 * The Linux errno numbers relink uses. Kernel functions return 0 or a
 * negated one of these. Each is guarded so that host code which also
 * includes glibc's <errno.h> (same numbers on Linux) still compiles.
 */
#ifndef LIB_ERRNO_H
#define LIB_ERRNO_H

#ifndef EPERM
#define EPERM 1 /* Operation not permitted */
#endif
#ifndef ENOENT
#define ENOENT 2 /* No such file or directory */
#endif
#ifndef EIO
#define EIO 5 /* I/O error */
#endif
#ifndef E2BIG
#define E2BIG 7 /* Argument list too long */
#endif
#ifndef ENOEXEC
#define ENOEXEC 8 /* Exec format error */
#endif
#ifndef EAGAIN
#define EAGAIN 11 /* Try again */
#endif
#ifndef ENOMEM
#define ENOMEM 12 /* Out of memory */
#endif
#ifndef EFAULT
#define EFAULT 14 /* Bad address */
#endif
#ifndef EBUSY
#define EBUSY 16 /* Device or resource busy */
#endif
#ifndef EEXIST
#define EEXIST 17 /* File exists */
#endif
#ifndef ENODEV
#define ENODEV 19 /* No such device */
#endif
#ifndef ENOTDIR
#define ENOTDIR 20 /* Not a directory */
#endif
#ifndef EISDIR
#define EISDIR 21 /* Is a directory */
#endif
#ifndef EINVAL
#define EINVAL 22 /* Invalid argument */
#endif
#ifndef ENOSPC
#define ENOSPC 28 /* No space left on device */
#endif
#ifndef EROFS
#define EROFS 30 /* Read-only file system */
#endif
#ifndef ERANGE
#define ERANGE 34 /* Result out of range */
#endif
#ifndef ENAMETOOLONG
#define ENAMETOOLONG 36 /* File name too long */
#endif
#ifndef ENOSYS
#define ENOSYS 38 /* Function not implemented */
#endif
#ifndef ENOTEMPTY
#define ENOTEMPTY 39 /* Directory not empty */
#endif
#ifndef EOPNOTSUPP
#define EOPNOTSUPP 95 /* Operation not supported */
#endif
#ifndef ETIMEDOUT
#define ETIMEDOUT 110 /* Connection timed out */
#endif
#ifndef EALREADY
#define EALREADY 114 /* Operation already in progress */
#endif

#endif /* LIB_ERRNO_H */
