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

// accept4 is only declared under _GNU_SOURCE, and there with a transparent-union
// address argument that Swift cannot pass nil to; declare the plain prototype.
extern int accept4(int fd, struct sockaddr *addr, socklen_t *addrlen, int flags);
#endif
