import Contracts
import Logging
import Messaging
import PostgresNIO

extension MessageContext {
    /// An ops verb's own transaction (`./scripts/run ops SERVICE VERB`) as a context, so the verb reaches its records
    /// through the same repositories as the handlers. It runs no request: there is no actor to verify and no one to ask.
    public static func ops(_ verb: String, connection: PostgresConnection, service: String, logger: Logger) -> MessageContext {
        MessageContext(
            connection: connection, header: EnvelopeHeader(type: "ops.\(service).\(verb)", actor: .system("\(service)-\(verb)")),
            service: service, environment: ServiceEnvironment(verifier: .trustingUnsigned), logger: logger,
            bus: InMemoryMessageBus())
    }
}
