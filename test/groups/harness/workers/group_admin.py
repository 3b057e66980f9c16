# What the Python admin clients see of consumer groups, as one JSON line:
#   python3 group_admin.py <bootstrap> <group> [<group> ...]
# kafka-python KafkaAdminClient: list_consumer_groups (ListGroups), describe_consumer_groups
# (DescribeGroups), list_consumer_group_offsets (OffsetFetch); confluent-kafka AdminClient.list_groups.
import json, sys
from kafka.admin import KafkaAdminClient
from confluent_kafka.admin import AdminClient

bootstrap, groups = sys.argv[1], sys.argv[2:]
out = {}
admin = KafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=15000)
try:
    out['listed'] = sorted([g, t] for g, t in admin.list_consumer_groups())
    described = {}
    for d in admin.describe_consumer_groups(groups):
        members = []
        for m in d.members:
            a = m.member_assignment
            # kafka-python leaves empty assignment bytes undecoded: no partitions to show.
            parts = None if isinstance(a, (bytes, bytearray)) else sorted(p for t, ps in (a.assignment if a is not None else []) for p in ps)
            members.append({'clientId': m.client_id, 'partitions': parts})
        described[d.group] = {'error': d.error_code, 'state': d.state, 'protocolType': d.protocol_type,
                              'protocol': d.protocol, 'members': sorted(members, key=lambda m: m['clientId'])}
    out['described'] = described
    offsets = {}
    for g in groups:
        offsets[g] = sorted([tp.topic, tp.partition, om.offset] for tp, om in admin.list_consumer_group_offsets(g).items())
    out['offsets'] = offsets
finally:
    admin.close()
try:
    ca = AdminClient({'bootstrap.servers': bootstrap})
    out['confluentListed'] = sorted([g.id, g.state, g.protocol_type, len(g.members)] for g in ca.list_groups(timeout=15))
except Exception as e:
    out['confluentListed'] = 'error: %s' % e
print(json.dumps(out))
