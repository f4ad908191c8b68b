#ifndef STITCH_CRABBITMQ_SHIM_H
#define STITCH_CRABBITMQ_SHIM_H

// librabbitmq 0.11 (Debian 12) has flat headers; 0.12+ moved them under <rabbitmq-c/...>.
#if __has_include(<rabbitmq-c/amqp.h>)
#include <rabbitmq-c/amqp.h>
#include <rabbitmq-c/framing.h>
#include <rabbitmq-c/tcp_socket.h>
#include <rabbitmq-c/ssl_socket.h>
#else
#include <amqp.h>
#include <amqp_framing.h>
#include <amqp_tcp_socket.h>
#include <amqp_ssl_socket.h>
#endif
#include <sys/time.h>

// amqp_login is C-variadic, which Swift cannot call: a fixed-arity wrapper for SASL PLAIN.
static inline amqp_rpc_reply_t stitch_amqp_login_plain(amqp_connection_state_t state, const char *vhost,
                                                       int channel_max, int frame_max, int heartbeat,
                                                       const char *user, const char *password) {
    return amqp_login(state, vhost, channel_max, frame_max, heartbeat, AMQP_SASL_METHOD_PLAIN, user, password);
}

// The method-number macros are casts, which Swift does not import; constants instead.
static const amqp_method_number_t STITCH_BASIC_DELIVER = AMQP_BASIC_DELIVER_METHOD;
static const amqp_method_number_t STITCH_BASIC_RETURN = AMQP_BASIC_RETURN_METHOD;
static const amqp_method_number_t STITCH_BASIC_ACK = AMQP_BASIC_ACK_METHOD;
static const amqp_method_number_t STITCH_BASIC_NACK = AMQP_BASIC_NACK_METHOD;
static const amqp_method_number_t STITCH_BASIC_CANCEL = AMQP_BASIC_CANCEL_METHOD;
static const amqp_method_number_t STITCH_CHANNEL_CLOSE = AMQP_CHANNEL_CLOSE_METHOD;
static const amqp_method_number_t STITCH_CONNECTION_CLOSE = AMQP_CONNECTION_CLOSE_METHOD;
static const amqp_method_number_t STITCH_CONNECTION_BLOCKED = AMQP_CONNECTION_BLOCKED_METHOD;
static const amqp_method_number_t STITCH_CONNECTION_UNBLOCKED = AMQP_CONNECTION_UNBLOCKED_METHOD;
static const amqp_method_number_t STITCH_CHANNEL_CLOSE_OK = AMQP_CHANNEL_CLOSE_OK_METHOD;
static const amqp_method_number_t STITCH_CONNECTION_CLOSE_OK = AMQP_CONNECTION_CLOSE_OK_METHOD;

static const uint8_t STITCH_FRAME_METHOD = AMQP_FRAME_METHOD;
static const uint8_t STITCH_FRAME_HEADER = AMQP_FRAME_HEADER;
static const uint8_t STITCH_FRAME_BODY = AMQP_FRAME_BODY;
static const uint8_t STITCH_FRAME_HEARTBEAT = AMQP_FRAME_HEARTBEAT;

#endif
