// The property names the build may shorten: members that no user and no
// platform object can ever see, read from the TypeScript sources with the
// compiler's own type checker. A minifier cannot shorten a property name on
// its own (it cannot know who else reads it); this list tells it which ones
// are the package's alone.
//
// A class's own private members are #private fields, which minifiers
// shorten by themselves; this list is for the internal members other
// classes call (Core's, the slot tables', the @internal ones), which #names
// cannot reach. Measured in one build: an app importing IOLoop downloads
// 10,725 B gzipped with the list alone, 11,279 B with no property renaming,
// 10,933 B with #private fields alone, 10,656 B with both (docs/design.md,
// "Download size"); a `_` prefix mangled by regex can at best equal the list,
// by renaming the same names by hand.
//
// A name is internal when
//   - every member declared with that name in src/ is internal: a #name,
//     declared `private` or tagged `@internal`, or a member of a class or interface
//     that the public API never reaches (Core, WakeUps, the slot tables...);
//   - every property access, object literal key and destructured key with
//     that name in src/ resolves to a member declared in src/: a name that is
//     ever read from a platform object (WebSocket, ReadableStream, Response,
//     WebAssembly's imports...) or from an untyped value is kept;
//   - it is not a member of a type that a cast lays over an object made
//     elsewhere (the wasm exports as CoreExports);
//   - it never appears as a string in code (`"name" in x`, x["name"]), and is
//     not one of the names the language itself looks up (then, constructor...).
// Renaming is all or nothing per name, so a name that fails any of these is
// kept everywhere. A property read by a computed key (x[key]) is not followed:
// src/ reads that way only objects that are not its own (hasMethods), with
// names that come from strings in code, which are kept.
import ts from "typescript";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const srcDir = `${root}src/`;

/** Names that JavaScript or the platform look up by name on our objects. */
const PROTOCOL_NAMES = new Set([
  "then", "constructor", "prototype", "toString", "valueOf", "toJSON", "name", "message", "cause", "stack",
  "length", "next", "done", "value", "return", "throw", "handleEvent",
]);

/** The public entry points: what a user can import. */
const ENTRIES = ["src/index.ts", "src/runtime/browser.ts", "src/runtime/node.ts", "src/runtime/workerd.ts"];

/** Returns the internal names, sorted, and why each other member name was kept. */
export function internalNames() {
  const config = ts.getParsedCommandLineOfConfigFile(`${root}tsconfig.build.json`, {}, {
    ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n")); },
  });
  const program = ts.createProgram(config.fileNames, config.options);
  const checker = program.getTypeChecker();
  const sources = program.getSourceFiles().filter((file) => file.fileName.startsWith(srcDir));

  const inSrc = (node) => node.getSourceFile().fileName.startsWith(srcDir);
  const resolve = (symbol) => (symbol && symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol);
  const isInternalMember = (member) => {
    const modifiers = ts.canHaveModifiers(member) ? ts.getModifiers(member) ?? [] : [];
    if (modifiers.some((m) => m.kind === ts.SyntaxKind.PrivateKeyword)) return true;
    if (member.name && ts.isPrivateIdentifier(member.name)) return true; // #name: the language's own private
    return ts.getJSDocTags(member).some((tag) => tag.tagName.text === "internal");
  };

  // 1. The declarations the public API reaches: start from the entries'
  //    exports and follow every type named by a public member.
  const reached = new Set();
  const queue = [];
  const enqueue = (symbol) => {
    symbol = resolve(symbol);
    for (const declaration of symbol?.declarations ?? []) {
      if (inSrc(declaration) && !reached.has(declaration)) {
        reached.add(declaration);
        queue.push(declaration);
      }
    }
  };
  const followTypes = (node) => {
    const visit = (child) => {
      if (ts.isTypeReferenceNode(child)) enqueue(checker.getSymbolAtLocation(child.typeName));
      else if (ts.isExpressionWithTypeArguments(child)) enqueue(checker.getSymbolAtLocation(child.expression));
      else if (ts.isTypeQueryNode(child)) enqueue(checker.getSymbolAtLocation(child.exprName));
      ts.forEachChild(child, visit);
    };
    visit(node);
  };
  const followInferred = (member) => {
    // A public member without a written type: follow the type TypeScript
    // infers (a method's: what it returns).
    const signature = ts.isMethodDeclaration(member) ? checker.getSignatureFromDeclaration(member) : undefined;
    const type = signature ? checker.getReturnTypeOfSignature(signature) : checker.getTypeAtLocation(member);
    for (const symbol of [type.getSymbol(), type.aliasSymbol]) if (symbol) enqueue(symbol);
  };
  for (const entry of ENTRIES) {
    const file = program.getSourceFile(`${root}${entry}`);
    for (const symbol of checker.getExportsOfModule(checker.getSymbolAtLocation(file))) enqueue(symbol);
  }
  while (queue.length > 0) {
    const declaration = queue.pop();
    if (ts.isClassLike(declaration) || ts.isInterfaceDeclaration(declaration)) {
      for (const clause of declaration.heritageClauses ?? []) followTypes(clause);
      for (const member of declaration.members) {
        if (isInternalMember(member)) continue;
        if (ts.isConstructorDeclaration(member)) {
          for (const parameter of member.parameters) if (!isInternalMember(parameter)) followTypes(parameter);
          continue;
        }
        followTypes(member);
        if (!("type" in member && member.type)) followInferred(member);
      }
    } else {
      followTypes(declaration);
    }
  }

  // 2. Every member declared in src/, and whether it is internal.
  const declared = new Map(); // name -> every declaration internal so far
  const kept = new Map(); // name -> why it is kept
  const keep = (name, why) => { if (!kept.has(name)) kept.set(name, why); };
  const declare = (name, internal, where) => {
    declared.set(name, (declared.get(name) ?? true) && internal);
    if (!internal) keep(name, `public member (${where})`);
  };
  const ownerIsPublic = (owner) => reached.has(owner) || !(ts.isClassLike(owner) || ts.isInterfaceDeclaration(owner));

  // 3. Every use of a property name, checked against where it resolves.
  const outside = (symbol) => !symbol?.declarations?.length || symbol.declarations.some((d) => !inSrc(d));
  const propertyOf = (type, name) => {
    const parts = type.isUnion() || type.isIntersection() ? type.types : [type];
    return parts.map((part) => checker.getPropertyOfType(part, name)).filter(Boolean);
  };
  const checkKey = (name, type, where) => {
    // An object literal or destructuring key: it must land on a member of a
    // src/ type, or it could be a platform's option or field.
    const found = type ? propertyOf(type, name) : [];
    if (found.length === 0) return keep(name, `${where} with no src/ type`);
    if (found.some(outside)) keep(name, `${where} of a platform type`);
  };

  for (const file of sources) {
    const where = (node) => `${file.fileName.slice(root.length)}:${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
    const visit = (node) => {
      if (ts.isLiteralTypeNode(node)) return; // Pick<Core, "name">: types only, gone at run time
      if (ts.isClassElement(node) || ts.isTypeElement(node)) {
        if (node.name && (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name))) {
          const owner = node.parent;
          if (ts.isObjectLiteralExpression(owner)) {
            // handled below with the object literal's keys
          } else {
            declare(node.name.text, isInternalMember(node) || !ownerIsPublic(owner), where(node));
          }
        }
        if (ts.isConstructorDeclaration(node)) {
          for (const parameter of node.parameters) {
            if (ts.isParameterPropertyDeclaration(parameter, node) && ts.isIdentifier(parameter.name)) {
              declare(parameter.name.text, isInternalMember(parameter) || !ownerIsPublic(node.parent), where(parameter));
            }
          }
        }
      }
      if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.name)) {
        const symbol = checker.getSymbolAtLocation(node.name);
        if (outside(symbol)) keep(node.name.text, `read from ${symbol ? "a platform object" : "an untyped value"} (${where(node)})`);
      } else if (ts.isObjectLiteralExpression(node)) {
        const type = checker.getContextualType(node);
        for (const property of node.properties) {
          if (ts.isSpreadAssignment(property)) continue;
          if (!property.name || !(ts.isIdentifier(property.name) || ts.isStringLiteral(property.name))) continue;
          checkKey(property.name.text, type, `object literal key (${where(property)})`);
        }
      } else if (ts.isObjectBindingPattern(node)) {
        const type = checker.getTypeAtLocation(node);
        for (const element of node.elements) {
          const key = element.propertyName ?? element.name;
          if (ts.isIdentifier(key) || ts.isStringLiteral(key)) checkKey(key.text, type, `destructured key (${where(element)})`);
        }
      } else if (ts.isAsExpression(node) || ts.isTypeAssertionExpression(node)) {
        // `exports as unknown as CoreExports`: a src/ type laid over an object
        // made elsewhere, whose member names are that object's, and so are
        // the names of what its members hold, at any depth (`globalThis as
        // { scheduler?: Partial<YieldingScheduler> }` reads scheduler.yield).
        const laidOver = (type, seen) => {
          if (seen.has(type)) return;
          seen.add(type);
          for (const part of type.isUnion() || type.isIntersection() ? type.types : [type]) {
            for (const property of checker.getPropertiesOfType(part)) {
              if (property.declarations?.every(isInternalMember)) continue;
              keep(property.name, `member of a cast's type (${where(node)})`);
              laidOver(checker.getNonNullableType(checker.getTypeOfSymbolAtLocation(property, node)), seen);
            }
          }
        };
        laidOver(checker.getTypeFromTypeNode(node.type), new Set());
      } else if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
        keep(node.text, `a string in code (${where(node)})`);
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }

  const names = [...declared].filter(([name, internal]) => internal && !kept.has(name) && !PROTOCOL_NAMES.has(name))
    .map(([name]) => name).sort();
  return { names, kept };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { names, kept } = internalNames();
  console.log(`${names.length} internal names: ${names.join(" ")}`);
  if (process.argv.includes("--why")) for (const [name, why] of [...kept].sort()) console.log(`kept ${name}: ${why}`);
}
