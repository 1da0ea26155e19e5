// Stand-in, in the bundled command line only ("bundle" in package.json), for packages imapflow
// loads at start but Satchel never reaches: pino (imapflow's default logger; the connection
// pool always passes a logger or false) and encoding-japanese (ISO-2022-JP decoding of envelopes
// and downloads; Satchel fetches raw bodies only). Loading them costs ~30 ms and ~8 MB at every
// start. Should a change ever reach one of them, it fails loudly here instead of misbehaving.
// Nothing imports this module itself.

function unavailable(): never {
  throw new Error('satchel: this part of imapflow (default logger or Japanese charsets) is not in the bundled command line');
}

/** pino() and encodingJapanese.convert(). */
const stub = Object.assign(unavailable, { convert: unavailable });
export default stub;
