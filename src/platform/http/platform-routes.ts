import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';

/** A route for the chat platforms' servers: it answers the request on Node's own objects, or passes it on. */
export type PlatformRoute = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

/**
 * The HTTP server's request listener: the platform routes (webhooks) see each request first and pass on what they do
 * not answer to the app. Express prepares every request it handles (new prototypes for the request and response, its
 * router, locals, the security headers), which costs about as much as all the rest of a webhook; the platforms send
 * many small updates and need none of it.
 */
export function withPlatformRoutes(app: RequestListener, routes: readonly PlatformRoute[]): RequestListener {
  return (req, res) => {
    let index = 0;
    const next = (): void => {
      const route = routes[index++];
      if (route) route(req, res, next);
      else void app(req, res);
    };
    next();
  };
}
