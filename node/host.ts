import { createHash } from 'node:crypto'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { bootstrap } from '@libp2p/bootstrap'
import { gossipsub, StrictNoSign } from '@libp2p/gossipsub'
import type { GossipSub } from '@libp2p/gossipsub'
import { createPeerScoreParams, createTopicScoreParams } from '@libp2p/gossipsub/score'
import { identify } from '@libp2p/identify'
import type { Libp2p, PeerDiscovery, PrivateKey } from '@libp2p/interface'
import { mdns } from '@libp2p/mdns'
import { ping } from '@libp2p/ping'
import { prometheusMetrics } from '@libp2p/prometheus-metrics'
import type { Registry } from 'prom-client'
import { tcp } from '@libp2p/tcp'
import { createLibp2p } from 'libp2p'
import { wireLimits } from '../protocol/wire/limits.js'

/** The gossip topics of one network (DESIGN §4.2); the network id keeps networks apart. */
export function topicsFor (networkIdHex: string): { query: string, round: string, consensus: string } {
  return {
    query: `/swarmrank/${networkIdHex}/query/1`,
    round: `/swarmrank/${networkIdHex}/round/1`,
    consensus: `/swarmrank/${networkIdHex}/consensus/1`
  }
}

export interface HostInit {
  privateKey: PrivateKey
  networkIdHex: string
  /** Multiaddrs to listen on. Default /ip4/127.0.0.1/tcp/0: loopback only, any free port. */
  listen?: string[]
  /** Peers to join through. */
  bootstrap?: string[]
  /** LAN discovery by multicast DNS: an operator's opt-in, never on in tests or clusters. */
  mdns?: boolean
  /** Gossip mesh degree (default DEFAULT_GOSSIP_DEGREE). */
  gossipDegree?: number
  /** Register libp2p's own metrics (connections, streams, gossipsub, transports) here. */
  metricsRegistry?: Registry
}

export type SwarmHost = Libp2p<{ pubsub: GossipSub, identify: ReturnType<ReturnType<typeof identify>>, ping: ReturnType<ReturnType<typeof ping>> }>

/**
 * Gossipsub peer scoring (P4 drives it). Each REJECT from our validators is an invalid message
 * delivery on its topic; the penalty is -100 × count², so one bad message drops a peer below the
 * gossip threshold (-100) and two reach the graylist threshold (-400): it is pruned from the
 * mesh and its RPCs are ignored. The count decays by 10% per decay interval (1 s), so a peer that
 * stops misbehaving recovers within a minute or so. IP colocation scoring is off: every node of
 * a local cluster shares 127.0.0.1, and Sybil resistance comes from probation in the protocol.
 */
function scoreParams (topics: string[]): ReturnType<typeof createPeerScoreParams> {
  return createPeerScoreParams({
    IPColocationFactorWeight: 0,
    behaviourPenaltyWeight: -10,
    behaviourPenaltyDecay: 0.9,
    topicScoreCap: 100,
    topics: Object.fromEntries(topics.map(t => [t, createTopicScoreParams({
      topicWeight: 1,
      // No delivery-rate expectations: traffic is bursty (rounds), so mesh-delivery penalties would punish honest quiet peers.
      timeInMeshWeight: 0.01,
      timeInMeshQuantum: 1000,
      timeInMeshCap: 100,
      firstMessageDeliveriesWeight: 1,
      firstMessageDeliveriesDecay: 0.9,
      firstMessageDeliveriesCap: 50,
      meshMessageDeliveriesWeight: 0,
      meshFailurePenaltyWeight: 0,
      invalidMessageDeliveriesWeight: -100,
      invalidMessageDeliveriesDecay: 0.9
    })]))
  })
}

export const scoreThresholds = {
  /** below this we stop gossiping (IHAVE/IWANT) with a peer */
  gossipThreshold: -100,
  /** below this we do not publish to a peer */
  publishThreshold: -200,
  /** below this all of a peer's RPCs are ignored */
  graylistThreshold: -400,
  /** peers must score this to be accepted via peer exchange */
  acceptPXThreshold: 10,
  opportunisticGraftThreshold: 5
}

/**
 * Gossip mesh degree D (libp2p's default is 6, within 4–12). Publishing floods a message to every
 * connected peer (floodPublish), then every node forwards it to its mesh peers, so each message
 * travels about N × (D + 1) times among N nodes; in a fully connected swarm — a local cluster, or
 * a testnet, whose nodes dial every peer they learn of — the publisher's flood reaches everyone
 * and every forwarded copy is a duplicate. Swarm messages are small and many (two votes per
 * validator per block), and the duplicates cost more CPU than anything else a node does
 * (docs/performance.md: 16 nodes, D 6 → 4 → 3 → 2). A mesh of degree 2 (1–3; ~1.9 peers on
 * average in a 16-node cluster) still gives each node one or two copies of everything besides
 * the publisher's, and IHAVE/IWANT gossip repairs what is missed. A network where nodes see only
 * some of their peers needs the mesh to carry messages over several hops: its operators raise D
 * (`swarmrank start --gossip-degree`; libp2p's 6 for large networks).
 */
export const DEFAULT_GOSSIP_DEGREE = 2

/** Gossipsub's mesh bounds for degree D (Dout < Dlo and Dout ≤ D/2, as gossipsub requires). */
export function gossipMesh (D: number): { D: number, Dlo: number, Dhi: number, Dout: number, Dscore: number, Dlazy: number } {
  if (!Number.isInteger(D) || D < 2 || D > 32) throw new RangeError(`gossip degree must be an integer from 2 to 32, got ${D}`)
  // Dlo = D − 1: a mesh topped up only once it falls below that. (Dlo = D = 2 measured the same
  // as D 3: grafts for an outbound peer (Dout) fill most meshes to 3.)
  const Dlo = D - 1
  // Dlazy: IHAVE gossip goes to as many peers outside the mesh as inside it (libp2p: 6 and 6)
  return { D, Dlo, Dhi: D + Math.max(1, Math.floor(D / 2)), Dout: Math.min(Dlo - 1, Math.floor(D / 2)), Dscore: Math.floor(D / 2), Dlazy: D }
}

/** The one place the libp2p host is assembled (transports, encryption, muxer, discovery, gossip). */
export async function createHost (init: HostInit): Promise<SwarmHost> {
  const topics = topicsFor(init.networkIdHex)
  const peerDiscovery: Array<(components: any) => PeerDiscovery> = []
  if ((init.bootstrap ?? []).length > 0) peerDiscovery.push(bootstrap({ list: init.bootstrap!, timeout: 100 }))
  if (init.mdns === true) peerDiscovery.push(mdns())
  return createLibp2p({
    privateKey: init.privateKey,
    addresses: { listen: init.listen ?? ['/ip4/127.0.0.1/tcp/0'] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    peerDiscovery,
    // The process's default metrics once per registry: a node that restarts in-process (onto a
    // snapshot, node/snapshot-switch.ts) builds a second host on the same registry, and prom-client
    // throws on a metric registered twice.
    ...(init.metricsRegistry === undefined ? {} : { metrics: prometheusMetrics({ registry: init.metricsRegistry, preserveExistingMetrics: true, collectDefaultMetrics: init.metricsRegistry.getSingleMetric('process_cpu_user_seconds_total') === undefined }) }),
    services: {
      identify: identify(),
      ping: ping(),
      pubsub: gossipsub({
        // Messages are signed envelopes of their own and must stay verifiable after gossip, so
        // gossipsub adds no signature and ids are content hashes (deduplicated by content).
        globalSignaturePolicy: StrictNoSign,
        msgIdFn: msg => createHash('sha256').update(msg.data).digest(), // = protocol messageId, natively
        // Deduplication runs on every copy received, before validation: use the native hash.
        fastMsgIdFn: msg => createHash('sha256').update(msg.data ?? new Uint8Array(0)).digest('base64'),
        allowedTopics: [topics.query, topics.round, topics.consensus],
        allowPublishToZeroTopicPeers: true,
        emitSelf: false,
        // A whole RPC may batch several messages; each message is bounded again by its decoder.
        maxInboundDataLength: 4 * wireLimits.maxEnvelopeBytes,
        scoreParams: scoreParams([topics.query, topics.round, topics.consensus]),
        scoreThresholds,
        doPX: false,
        ...gossipMesh(init.gossipDegree ?? DEFAULT_GOSSIP_DEGREE)
      })
    }
  }) as unknown as Promise<SwarmHost>
}
