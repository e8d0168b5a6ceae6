import { dayNumber } from './calendar.ts';
import { Rng } from './random.ts';

/**
 * pspReferences and order references are numbers that look random but are a keyed bijection of
 * (ledger slot, day, sequence). They never collide, and a lookup by reference decodes straight
 * back to the one day that holds it, so the emulator needs no index of what it generated.
 */

const EPOCH_DAY = dayNumber('2026-01-01');
/**
 * Sequence ranges within a day (a sale's own sequence is below 10 000): the sale's capture, its
 * refund, its order's later partial captures and their refunds, then entries with no sale.
 */
export const refundSeqBase = 40_000;
const partSeqBase = 50_000;
const partRefundSeqBase = 70_000;
const partSeqStride = 10_000;
export const eventSeqBase = 90_000;

/** One movement of a sale's order: which capture (0 the sale's own, 1 and 2 later parts), and whether its refund. */
export interface SaleMovement {
  seq: number;
  part: number;
  refund: boolean;
}

/** The sequence number that identifies a movement of the sale with sequence `seq`. */
export function movementSeq({ seq, part, refund }: SaleMovement): number {
  if (part === 0) return refund ? refundSeqBase + seq : seq;
  return (refund ? partRefundSeqBase : partSeqBase) + (part - 1) * partSeqStride + seq;
}

/** What a sequence number identifies; null for entries with no sale. */
export function saleMovementOf(sequence: number): SaleMovement | null {
  if (sequence >= eventSeqBase) return null;
  const base = sequence >= partRefundSeqBase ? partRefundSeqBase : sequence >= partSeqBase ? partSeqBase : null;
  if (base !== null) {
    const rest = sequence - base;
    return { seq: rest % partSeqStride, part: 1 + Math.floor(rest / partSeqStride), refund: base === partRefundSeqBase };
  }
  const refund = sequence >= refundSeqBase;
  const seq = refund ? sequence - refundSeqBase : sequence;
  return seq < partSeqStride ? { seq, part: 0, refund } : null;
}

export interface Position {
  slot: number;
  day: number;
  seq: number;
}

class KeyedNumbers {
  private readonly multiplier: bigint;
  private readonly inverse: bigint;
  private readonly shift: bigint;

  constructor(
    seed: string,
    purpose: string,
    private readonly modulus: bigint,
    private readonly offset: bigint,
  ) {
    const rng = new Rng(seed, 'identifiers', purpose);
    let multiplier = 0n;
    // Coprime with the modulus (2^a·5^b·7) so that multiplication is a bijection.
    while (multiplier === 0n || multiplier % 2n === 0n || multiplier % 5n === 0n || multiplier % 7n === 0n) {
      multiplier = BigInt(rng.int(1_000_000, 2_000_000_000)) * 31n + 1n;
    }
    this.multiplier = multiplier % modulus;
    this.inverse = modularInverse(this.multiplier, modulus);
    this.shift = BigInt(rng.int(0, 2_000_000_000)) % modulus;
  }

  encode(position: Position): string {
    const raw = BigInt(((position.slot * 10_000 + (position.day - EPOCH_DAY)) * 100_000) + position.seq);
    return String(this.offset + ((raw * this.multiplier + this.shift) % this.modulus));
  }

  decode(text: string): Position | null {
    if (!/^\d{1,15}$/.test(text)) return null;
    const value = BigInt(text) - this.offset;
    if (value < 0n || value >= this.modulus) return null;
    const raw = Number((((value - this.shift) % this.modulus + this.modulus) * this.inverse) % this.modulus);
    const seq = raw % 100_000;
    const rest = Math.floor(raw / 100_000);
    return { slot: Math.floor(rest / 10_000), day: (rest % 10_000) + EPOCH_DAY, seq };
  }
}

function modularInverse(value: bigint, modulus: bigint): bigint {
  let [oldR, r] = [value, modulus];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const quotient = oldR / r;
    [oldR, r] = [r, oldR - quotient * r];
    [oldS, s] = [s, oldS - quotient * s];
  }
  return ((oldS % modulus) + modulus) % modulus;
}

export class Identifiers {
  private readonly psp: KeyedNumbers;
  private readonly order: KeyedNumbers;

  constructor(private readonly seed: string) {
    this.psp = new KeyedNumbers(seed, 'psp', 70_000_000_000n, 30_000_000_000n);
    this.order = new KeyedNumbers(seed, 'order', 90_000_000_000n, 10_000_000_000n);
  }

  pspReference(position: Position): string {
    return this.psp.encode(position);
  }

  decodePspReference(text: string): Position | null {
    return this.psp.decode(text);
  }

  /** An order reference: Vipps-generated digits for VM-number and mPOS sales. */
  orderReference(position: Position): string {
    return this.order.encode(position);
  }

  decodeOrderReference(text: string): Position | null {
    return this.order.decode(text);
  }

  /** ePayment references are chosen by the merchant's web shop. */
  webOrderReference(position: Position): string {
    return `ordre-${this.order.encode(position)}`;
  }

  /** The ULID-looking pspReference of a fees-retained pair: `01H7W7Q6Y5R-3G58CTAZX0MHKV2`. */
  feesRetainedReference(ledgerId: string, closingTime: number): string {
    const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
    let time = '';
    for (let rest = closingTime, i = 0; i < 10; i++, rest = Math.floor(rest / 32)) time = alphabet[rest % 32] + time;
    const rng = new Rng(this.seed, 'fees-retained', ledgerId, closingTime);
    let tail = '';
    for (let i = 0; i < 16; i++) tail += alphabet[rng.int(0, 31)];
    return `${time}${tail[0]}-${tail.slice(1)}`;
  }
}
