// The data panel stores a picked file relative to the project's folder and refuses one outside it
// (renderer/src/files/project-relative.ts): web mode's workspace paths and the desktop's absolute ones.
import { describe, expect, it } from 'vitest';
import { folderOf, insideFolder } from '../../renderer/src/files/project-relative.ts';

describe('project-relative paths', () => {
  it('folderOf names a project file’s folder as the picker does', () => {
    expect(folderOf('iris.netwright.json')).toBe('.');
    expect(folderOf('projects/iris.netwright.json')).toBe('projects');
    expect(folderOf('/home/u/p/iris.netwright.json')).toBe('/home/u/p');
    expect(folderOf('/iris.netwright.json')).toBe('/');
    expect(folderOf('C:\\Users\\u\\iris.netwright.json')).toBe('C:\\Users\\u');
  });

  it('insideFolder gives the path below the folder, or null for anything not below it', () => {
    expect(insideFolder('.', 'data/x.csv')).toBe('data/x.csv');
    expect(insideFolder('projects', 'projects/data/x.csv')).toBe('data/x.csv');
    expect(insideFolder('projects', 'data/x.csv')).toBeNull();
    expect(insideFolder('projects', 'projects-old/x.csv')).toBeNull();
    expect(insideFolder('projects', 'projects')).toBeNull();
    expect(insideFolder('/home/u/p', '/home/u/p/img/cats')).toBe('img/cats');
    expect(insideFolder('/home/u/p', '/home/u/q/x.csv')).toBeNull();
    expect(insideFolder('/home/u/p', 'p/x.csv')).toBeNull();
    expect(insideFolder('C:\\Users\\u', 'c:\\users\\u\\data\\x.csv')).toBe('data/x.csv');
  });
});
