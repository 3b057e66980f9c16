/**
 * Broker TLS and SASL configs (BrokerSecurityConfigs). Kafka lets these change at runtime per
 * broker, but only under a listener prefix (listener.name.<listener>.<config>); the bare names
 * are refused by AlterConfigs. Passwords are never reported by DescribeConfigs.
 */
import { brokerDef } from './define.js';
import type { BrokerConfigDef } from './types.js';
import { oneOf } from './validators.js';

const PB = { mode: 'per-broker' } as const;

export const BROKER_SECURITY_DEFS: readonly BrokerConfigDef[] = [
  brokerDef('connections.max.reauth.ms', 'long', 0),
  brokerDef('principal.builder.class', 'class', 'org.apache.kafka.common.security.authenticator.DefaultKafkaPrincipalBuilder', PB),
  brokerDef('ssl.client.auth', 'string', 'none', { validator: oneOf('required', 'requested', 'none'), ...PB }),
  brokerDef('ssl.protocol', 'string', 'TLSv1.3', PB),
  brokerDef('ssl.enabled.protocols', 'list', 'TLSv1.2,TLSv1.3', PB),
  brokerDef('ssl.cipher.suites', 'list', '', PB),
  brokerDef('ssl.keystore.type', 'string', 'JKS', PB),
  brokerDef('ssl.keystore.location', 'string', null, PB),
  brokerDef('ssl.keystore.password', 'password', null, PB),
  brokerDef('ssl.key.password', 'password', null, PB),
  brokerDef('ssl.keystore.key', 'password', null, PB),
  brokerDef('ssl.keystore.certificate.chain', 'password', null, PB),
  brokerDef('ssl.truststore.type', 'string', 'JKS', PB),
  brokerDef('ssl.truststore.location', 'string', null, PB),
  brokerDef('ssl.truststore.password', 'password', null, PB),
  brokerDef('ssl.truststore.certificates', 'password', null, PB),
  brokerDef('ssl.endpoint.identification.algorithm', 'string', 'https', PB),
  brokerDef('sasl.enabled.mechanisms', 'list', 'GSSAPI', PB),
  brokerDef('sasl.mechanism.inter.broker.protocol', 'string', 'GSSAPI', PB),
  brokerDef('sasl.jaas.config', 'password', null, PB),
];

/**
 * Security configs Kafka refuses to change dynamically without a listener prefix
 * (SslConfigs.RECONFIGURABLE_CONFIGS that Samsa defines).
 */
export const LISTENER_ONLY_DYNAMIC = new Set([
  'ssl.keystore.type',
  'ssl.keystore.location',
  'ssl.keystore.password',
  'ssl.key.password',
  'ssl.truststore.type',
  'ssl.truststore.location',
  'ssl.truststore.password',
  'ssl.keystore.certificate.chain',
  'ssl.keystore.key',
  'ssl.truststore.certificates',
]);
