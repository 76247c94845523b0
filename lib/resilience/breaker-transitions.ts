/**
 * The conditional UpdateItem of each circuit breaker write, matching the condition table in the
 * DynamoCircuitBreaker documentation. Each condition requires the version that the caller read.
 */
import type { BreakerUpdate } from './breaker-table';

/** Counts a failure in a closed circuit, creating the item when it is absent. Returns the new item. */
export function countFailureUpdate(version: number): BreakerUpdate {
  return {
    set: ['#state = if_not_exists(#state, :closed)', '#version = if_not_exists(#version, :zero)'],
    add: 'consecutiveFailures :one',
    condition: 'attribute_not_exists(#version) OR (#state = :closed AND #version = :version)',
    values: { ':closed': 'closed', ':version': version, ':zero': 0, ':one': 1 },
    returnNew: true,
  };
}

/** Resets the failure count of a closed circuit that has counted failures. */
export function resetFailuresUpdate(version: number): BreakerUpdate {
  return {
    set: ['consecutiveFailures = :zero'],
    condition: '#state = :closed AND #version = :version AND consecutiveFailures > :zero',
    values: { ':closed': 'closed', ':version': version, ':zero': 0 },
  };
}

/** CLOSED → OPEN once the failure count reached `failureThreshold`. */
export function closedToOpenUpdate(
  version: number,
  openUntilMs: number,
  failureThreshold: number,
): BreakerUpdate {
  return {
    set: [
      '#state = :open',
      'openUntilMs = :openUntil',
      'consecutiveFailures = :zero',
      'trialsInFlight = :zero',
      '#version = #version + :one',
    ],
    condition: '#state = :closed AND #version = :version AND consecutiveFailures >= :threshold',
    values: {
      ':open': 'open',
      ':closed': 'closed',
      ':openUntil': openUntilMs,
      ':zero': 0,
      ':one': 1,
      ':version': version,
      ':threshold': failureThreshold,
    },
  };
}

/** OPEN → HALF-OPEN after `openUntilMs`, taking trial slot 1. */
export function openToHalfOpenUpdate(version: number, nowMs: number, deadlineMs: number): BreakerUpdate {
  return {
    set: [
      '#state = :halfOpen',
      'trialsInFlight = :one',
      'trialsDeadlineMs = :deadline',
      '#version = #version + :one',
    ],
    condition: '#state = :open AND #version = :version AND openUntilMs <= :now',
    values: {
      ':halfOpen': 'half-open',
      ':open': 'open',
      ':one': 1,
      ':deadline': deadlineMs,
      ':version': version,
      ':now': nowMs,
    },
  };
}

/** Takes one more trial slot of a half-open circuit while fewer than `halfOpenMaxTrials` are taken. */
export function takeTrialSlotUpdate(
  version: number,
  deadlineMs: number,
  halfOpenMaxTrials: number,
): BreakerUpdate {
  return {
    set: ['trialsInFlight = trialsInFlight + :one', 'trialsDeadlineMs = :deadline'],
    condition: '#state = :halfOpen AND #version = :version AND trialsInFlight < :maxTrials',
    values: {
      ':halfOpen': 'half-open',
      ':one': 1,
      ':deadline': deadlineMs,
      ':version': version,
      ':maxTrials': halfOpenMaxTrials,
    },
  };
}

/** Starts a new trial round, taking trial slot 1, after the trials of the current round passed their deadline. */
export function newTrialRoundUpdate(version: number, nowMs: number, deadlineMs: number): BreakerUpdate {
  return {
    set: ['trialsInFlight = :one', 'trialsDeadlineMs = :deadline', '#version = #version + :one'],
    condition: '#state = :halfOpen AND #version = :version AND trialsDeadlineMs <= :now',
    values: {
      ':halfOpen': 'half-open',
      ':one': 1,
      ':deadline': deadlineMs,
      ':version': version,
      ':now': nowMs,
    },
  };
}

/** Frees a trial slot of a half-open circuit without an outcome. */
export function freeTrialSlotUpdate(version: number): BreakerUpdate {
  return {
    add: 'trialsInFlight :minusOne',
    condition: '#state = :halfOpen AND #version = :version AND trialsInFlight > :zero',
    values: { ':halfOpen': 'half-open', ':version': version, ':zero': 0, ':minusOne': -1 },
  };
}

/** HALF-OPEN → CLOSED after a successful trial. */
export function halfOpenToClosedUpdate(version: number): BreakerUpdate {
  return {
    set: [
      '#state = :closed',
      'consecutiveFailures = :zero',
      'trialsInFlight = :zero',
      '#version = #version + :one',
    ],
    condition: '#state = :halfOpen AND #version = :version',
    values: { ':closed': 'closed', ':halfOpen': 'half-open', ':version': version, ':zero': 0, ':one': 1 },
  };
}

/** HALF-OPEN → OPEN after a failed trial. */
export function halfOpenToOpenUpdate(version: number, openUntilMs: number): BreakerUpdate {
  return {
    set: [
      '#state = :open',
      'openUntilMs = :openUntil',
      'trialsInFlight = :zero',
      '#version = #version + :one',
    ],
    condition: '#state = :halfOpen AND #version = :version',
    values: {
      ':open': 'open',
      ':halfOpen': 'half-open',
      ':openUntil': openUntilMs,
      ':version': version,
      ':zero': 0,
      ':one': 1,
    },
  };
}
