// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// @title The demo's and tests' reward token: a plain ERC20 its owner can mint.
contract DemoToken is ERC20, Ownable {
    constructor(address owner_) ERC20("PoA Demo Reward", "POAR") Ownable(owner_) {}

    function mint(address to, uint256 amount) external onlyOwner {
        _mint(to, amount);
    }
}
