import { DecodeError } from '../common/errors.js';
import { type MessageCodec, metadataRecords as m, Reader, type Writer } from '../protocol/index.js';
import { type RecordSerde, expectFullyRead, readApiMessageFrame, writeApiMessageFrame } from '../raft/index.js';

/**
 * The KRaft metadata records (`metadata-records/*.json`) as one tagged union, and the serde that
 * frames them in the metadata log the way Kafka does.
 */

/** Every metadata record type by name; the codec's apiKey is Kafka's record type id. */
export const METADATA_RECORD_CODECS = {
  RegisterBrokerRecord: m.RegisterBrokerRecord,
  UnregisterBrokerRecord: m.UnregisterBrokerRecord,
  TopicRecord: m.TopicRecord,
  PartitionRecord: m.PartitionRecord,
  ConfigRecord: m.ConfigRecord,
  PartitionChangeRecord: m.PartitionChangeRecord,
  AccessControlEntryRecord: m.AccessControlEntryRecord,
  FenceBrokerRecord: m.FenceBrokerRecord,
  UnfenceBrokerRecord: m.UnfenceBrokerRecord,
  RemoveTopicRecord: m.RemoveTopicRecord,
  DelegationTokenRecord: m.DelegationTokenRecord,
  UserScramCredentialRecord: m.UserScramCredentialRecord,
  FeatureLevelRecord: m.FeatureLevelRecord,
  ClientQuotaRecord: m.ClientQuotaRecord,
  ProducerIdsRecord: m.ProducerIdsRecord,
  RemoveAccessControlEntryRecord: m.RemoveAccessControlEntryRecord,
  BrokerRegistrationChangeRecord: m.BrokerRegistrationChangeRecord,
  RemoveUserScramCredentialRecord: m.RemoveUserScramCredentialRecord,
  RemoveDelegationTokenRecord: m.RemoveDelegationTokenRecord,
  NoOpRecord: m.NoOpRecord,
  ZkMigrationStateRecord: m.ZkMigrationStateRecord,
  RegisterControllerRecord: m.RegisterControllerRecord,
  BeginTransactionRecord: m.BeginTransactionRecord,
  EndTransactionRecord: m.EndTransactionRecord,
  AbortTransactionRecord: m.AbortTransactionRecord,
} as const;

type Codecs = typeof METADATA_RECORD_CODECS;
type DataOf<C> = C extends MessageCodec<infer T> ? T : never;

export type MetadataRecordType = keyof Codecs;

/** One metadata record: its type, the schema version it is (or will be) written at, its fields. */
export type MetadataRecord = {
  [K in MetadataRecordType]: { readonly type: K; readonly version: number; readonly data: DataOf<Codecs[K]> };
}[MetadataRecordType];

/** The record of type `K`, for narrowing helpers and tests. */
export type MetadataRecordOf<K extends MetadataRecordType> = Extract<MetadataRecord, { type: K }>;

/**
 * The versions Samsa writes: those of metadata.version 3.6-IV2 (feature level 14), the last level
 * before directory assignment (PartitionRecord v1) and controller registration. Older and newer
 * versions are read.
 */
export const METADATA_RECORD_WRITE_VERSIONS: Readonly<Record<MetadataRecordType, number>> = {
  ...(Object.fromEntries(Object.keys(METADATA_RECORD_CODECS).map((k) => [k, 0])) as Record<MetadataRecordType, number>),
  RegisterBrokerRecord: 2,
};

/** Builds a record at the version Samsa writes. */
export function metadataRecord<K extends MetadataRecordType>(type: K, data: DataOf<Codecs[K]>): MetadataRecordOf<K> {
  return { type, version: METADATA_RECORD_WRITE_VERSIONS[type], data } as unknown as MetadataRecordOf<K>;
}

const typeByApiKey = new Map<number, MetadataRecordType>();
for (const [type, codec] of Object.entries(METADATA_RECORD_CODECS)) {
  typeByApiKey.set(codec.apiKey!, type as MetadataRecordType);
}

function codecOf(type: MetadataRecordType): MessageCodec<unknown> {
  return METADATA_RECORD_CODECS[type] as MessageCodec<unknown>;
}

/**
 * Kafka's `MetadataRecordSerde`: the record value is frame version 1, apiKey and version as
 * unsigned varints, then the record in its flexible encoding at that version.
 */
export const metadataRecordSerde: RecordSerde<MetadataRecord> = {
  write(w: Writer, record: MetadataRecord): void {
    const codec = codecOf(record.type);
    writeApiMessageFrame(w, { apiKey: codec.apiKey!, version: record.version });
    codec.encode(w, record.version, record.data);
  },
  read(value: Buffer): MetadataRecord {
    const r = new Reader(value);
    const { apiKey, version } = readApiMessageFrame(r);
    const type = typeByApiKey.get(apiKey);
    if (type === undefined) throw new DecodeError(`unknown metadata record type ${apiKey}`);
    const codec = codecOf(type);
    if (version < codec.validVersions.min || version > codec.validVersions.max) {
      throw new DecodeError(`${type} version ${version} is outside ${codec.validVersions.min}..${codec.validVersions.max}`);
    }
    const data = codec.decode(r, version);
    expectFullyRead(r, type);
    return { type, version, data } as MetadataRecord;
  },
};
