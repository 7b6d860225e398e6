// Package tabledef describes RASP's DynamoDB table once, in plain Go: keys,
// indexes and the TTL attribute. The local provisioning (shared/dynamo) and
// the CDK stack (infra/) both read it, so what runs locally is what deploys.
package tabledef

// AttrType is a DynamoDB scalar type.
type AttrType string

const (
	String AttrType = "S"
	Number AttrType = "N"
)

// Key is one key attribute.
type Key struct {
	Name string
	Type AttrType
}

// Index is a global secondary index.
type Index struct {
	Name         string
	PartitionKey Key
	SortKey      Key
	// Projection is "ALL", "KEYS_ONLY" or "INCLUDE" (with NonKeyAttributes).
	Projection       string
	NonKeyAttributes []string
}

// Table is the whole description.
type Table struct {
	PartitionKey Key
	SortKey      Key
	Indexes      []Index
	TTLAttribute string
}

// Attribute names used by the store; defined here so the keys have one home.
const (
	AttrPK        = "pk"
	AttrSK        = "sk"
	AttrDueShard  = "dueShard"
	AttrDueAt     = "dueAt"
	AttrExpiresAt = "expiresAt"
	IndexDue      = "due"
)

// Rasp is the single table of the service.
//
// Items of one assessment share the partition "A#<id>" (meta + one item per
// area), so scoring is one Query and saving one area is one small write.
// Members of a partnership round are items in "P#<id>" holding a snapshot
// of their scores at submit, so a comparison is one Query per round.
// The sparse "due" index holds only items with a reminder due, keyed by the
// due time, so the daily job reads what is due and never scans.
func Rasp() Table {
	return Table{
		PartitionKey: Key{AttrPK, String},
		SortKey:      Key{AttrSK, String},
		Indexes: []Index{{
			Name:         IndexDue,
			PartitionKey: Key{AttrDueShard, String},
			SortKey:      Key{AttrDueAt, String},
			Projection:   "KEYS_ONLY",
		}},
		TTLAttribute: AttrExpiresAt,
	}
}
