/**
 * Keeps a connection's responses in request order. Each request reserves a place when it is
 * read; handlers fill places in any order; `takeReady` hands out the filled places at the head,
 * stopping at the first one still waiting. Its length is bounded by the connection's in-flight
 * limit plus one close marker.
 */
import type { CloseReason } from './metrics.js';
import { CLOSE_CONNECTION, type Response } from './request-handler.js';

type SendResponse = Extract<Response, { kind: 'send' }>;

export interface ResponsePlace {
  response: Response | undefined;
  /** Why to close when `response` is a close. */
  closeReason: CloseReason;
  /** Holds a server-wide request permit (close markers for protocol errors do not). */
  readonly permit: boolean;
}

export interface ReadyResponses {
  /** Frames to write now, in order. */
  readonly sends: SendResponse[];
  /** Permits held by the places taken (written, noResponse, or the close itself). */
  readonly permitsReleased: number;
  /** Set when a close was reached: write `sends`, then close for this reason. */
  readonly closeReason: CloseReason | undefined;
}

export class ResponseQueue {
  private places: ResponsePlace[] = [];

  get length(): number {
    return this.places.length;
  }

  /** The place for the response to the request just read. */
  reserve(): ResponsePlace {
    const place: ResponsePlace = { response: undefined, closeReason: 'handlerClose', permit: true };
    this.places.push(place);
    return place;
  }

  /** A close after every response already reserved (a protocol error found while reading). */
  closeAfterPending(reason: CloseReason): void {
    this.places.push({ response: CLOSE_CONNECTION, closeReason: reason, permit: false });
  }

  settle(place: ResponsePlace, response: Response, closeReason: CloseReason): void {
    place.response = response;
    place.closeReason = closeReason;
  }

  takeReady(): ReadyResponses {
    const sends: SendResponse[] = [];
    let permitsReleased = 0;
    let closeReason: CloseReason | undefined;
    while (this.places.length > 0) {
      const head = this.places[0]!;
      if (head.response === undefined) break;
      this.places.shift();
      if (head.permit) permitsReleased++;
      if (head.response.kind === 'send') sends.push(head.response);
      else if (head.response.kind === 'close') {
        closeReason = head.closeReason;
        break;
      }
    }
    return { sends, permitsReleased, closeReason };
  }

  /** Drops every place (the connection is closing); returns the permits they held. */
  clear(): number {
    const permits = this.places.filter((p) => p.permit).length;
    this.places = [];
    return permits;
  }
}
