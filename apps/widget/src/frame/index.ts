/** Entry of frame.js, the chat window inside Parley's iframe. */
import { startFrame } from './app.js';

startFrame();
