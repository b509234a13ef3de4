#ifndef WSGATE_CEPOLL_SHIM_H
#define WSGATE_CEPOLL_SHIM_H
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <sys/socket.h>
#include <sys/resource.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sched.h>
#include <unistd.h>
#include <sys/syscall.h>

// accept4 is only declared under _GNU_SOURCE, and there with a transparent-union
// address argument that Swift cannot pass nil to; declare the plain prototype.
extern int accept4(int fd, struct sockaddr *addr, socklen_t *addrlen, int flags);

// recv and send straight to the kernel: glibc's wrappers are thread-cancellation points and switch
// asynchronous cancellation on and off around every call (about 60 instructions each), which wsgate,
// never cancelling a thread, does not need on its per-message path. syscall(2) is variadic, so Swift
// cannot call it itself.
static inline long wsg_recv(int fd, void *buffer, size_t length) {
    return syscall(SYS_recvfrom, fd, buffer, length, 0, (void *)0, (void *)0);
}

// more != 0 adds MSG_MORE: the kernel holds a partial segment back, so a close(2) right after sends
// the FIN in it.
static inline long wsg_send_nosignal(int fd, const void *buffer, size_t length, int more) {
    return syscall(SYS_sendto, fd, buffer, length, more ? (MSG_NOSIGNAL | MSG_MORE) : MSG_NOSIGNAL, (void *)0, 0);
}
#endif
