/**
 * Styles of the launcher and the chat panel, scoped by the Shadow DOM so the
 * host page's CSS cannot reach in and ours cannot leak out. No attention
 * animation; the panel's short fade is dropped under prefers-reduced-motion.
 */
export const LAUNCHER_CSS = `
:host{all:initial}
.l{position:fixed;right:20px;bottom:20px;z-index:2147483000;width:56px;height:56px;margin:0;padding:0;border:0;border-radius:50%;background:var(--a,#2563eb);color:#fff;cursor:pointer;box-shadow:0 2px 10px rgba(0,0,0,.22);display:flex;align-items:center;justify-content:center}
.l:focus-visible{outline:none;box-shadow:0 0 0 3px #fff,0 0 0 6px #111}
.l svg{width:28px;height:28px;fill:currentColor}
.b{position:absolute;top:-3px;right:-3px;min-width:20px;height:20px;padding:0 6px;box-sizing:border-box;border-radius:10px;background:#c81e1e;color:#fff;font:600 12px/20px system-ui,sans-serif;text-align:center}
.p{position:fixed;right:20px;bottom:20px;z-index:2147483000;width:380px;max-width:calc(100vw - 40px);height:min(600px,calc(100vh - 40px));border-radius:14px;overflow:hidden;background:#fff;box-shadow:0 10px 40px rgba(0,0,0,.25);animation:f .14s ease-out}
.p.q{inset:auto 20px 84px auto;width:320px;max-width:calc(100vw - 40px);height:var(--h);border-radius:0;background:none;box-shadow:none;animation:none}
.p iframe{display:block;width:100%;height:100%;border:0}
.b::after{content:attr(data-n)}
.l[hidden],.p[hidden],.b[hidden]{display:none}
.s{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
@keyframes f{from{opacity:0;transform:translateY(8px)}}
@media (max-width:480px){.p{inset:0;width:100%;max-width:none;height:100%;border-radius:0}}
@media (prefers-reduced-motion:reduce){.p{animation:none}}
`;
